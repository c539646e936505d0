package dev.letterbox.relay.it;

import static dev.letterbox.relay.it.RelayTestKit.header;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * What reached a topic, read back in partition order: how often each event id arrived, and per
 * key the payloads of first deliveries (a consumer that drops duplicates by id sees exactly those).
 */
final class Deliveries {

    private final Map<String, Integer> countById = new LinkedHashMap<>();
    private final Map<String, List<String>> firstSeenByKey = new LinkedHashMap<>();
    private final int records;

    private Deliveries(List<ConsumerRecord<byte[], byte[]>> records) {
        List<ConsumerRecord<byte[], byte[]>> sorted = new ArrayList<>(records);
        sorted.sort(Comparator.<ConsumerRecord<byte[], byte[]>>comparingInt(ConsumerRecord::partition)
                .thenComparingLong(ConsumerRecord::offset));
        for (ConsumerRecord<byte[], byte[]> r : sorted) {
            String id = header(r, "id");
            if (countById.merge(id, 1, Integer::sum) == 1) {
                firstSeenByKey.computeIfAbsent(new String(r.key(), StandardCharsets.UTF_8), k -> new ArrayList<>())
                        .add(new String(r.value(), StandardCharsets.UTF_8));
            }
        }
        this.records = records.size();
    }

    static Deliveries of(List<ConsumerRecord<byte[], byte[]>> records) {
        return new Deliveries(records);
    }

    /** How many records carried this event id. */
    int count(UUID id) {
        return countById.getOrDefault(id.toString(), 0);
    }

    int records() {
        return records;
    }

    int duplicates() {
        return records - countById.size();
    }

    /** Asserts every expected id arrived, no other id did, and nothing but them. */
    Deliveries assertEveryEventOnce(Collection<UUID> expected) {
        List<String> ids = expected.stream().map(UUID::toString).toList();
        assertThat(countById.keySet()).as("distinct event ids delivered").containsExactlyInAnyOrderElementsOf(ids);
        return this;
    }

    /**
     * Asserts that for each key the first deliveries carry payloads {@code 0..perKey-1} in order
     * (events written by {@link RelayTestKit#rounds}).
     */
    Deliveries assertFirstDeliveriesInOrder(int keys, int perKey) {
        List<String> expected = new ArrayList<>(perKey);
        for (int i = 0; i < perKey; i++) {
            expected.add(Integer.toString(i));
        }
        assertThat(firstSeenByKey).as("keys delivered").hasSize(keys);
        Map<String, List<String>> wrong = new HashMap<>();
        firstSeenByKey.forEach((key, seen) -> {
            if (!seen.equals(expected)) {
                wrong.put(key, seen);
            }
        });
        assertThat(wrong).as("keys whose first deliveries are not in commit order").isEmpty();
        return this;
    }

    @Override
    public String toString() {
        return "Deliveries[records=" + records + ", distinct=" + countById.size() + ", duplicates=" + duplicates() + "]";
    }
}
