package dev.letterbox.debezium;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** The records a consumer received, grouped by their {@code id} header, in arrival order. Immutable. */
final class Deliveries {

    private final Map<String, List<ConsumerRecord<byte[], byte[]>>> byId = new LinkedHashMap<>();
    private final Map<String, Set<String>> firstCopiesPerKey = new LinkedHashMap<>();

    private Deliveries(List<ConsumerRecord<byte[], byte[]>> records) {
        for (ConsumerRecord<byte[], byte[]> r : records) {
            String id = CdcFixture.header(r, "id");
            byId.computeIfAbsent(id, k -> new ArrayList<>()).add(r);
            firstCopiesPerKey.computeIfAbsent(new String(r.key(), StandardCharsets.UTF_8), k -> new LinkedHashSet<>()).add(id);
        }
    }

    static Deliveries of(List<ConsumerRecord<byte[], byte[]>> records) {
        return new Deliveries(records);
    }

    /** Every event id received at least once. */
    Set<String> ids() {
        return byId.keySet();
    }

    /** The ids received more than once. */
    List<String> duplicated() {
        return byId.entrySet().stream().filter(e -> e.getValue().size() > 1).map(Map.Entry::getKey).toList();
    }

    /** Every copy of one event, in arrival order. */
    List<ConsumerRecord<byte[], byte[]>> copies(String id) {
        return byId.get(id);
    }

    /** Per Kafka key, the event ids in the order of their first copies. */
    List<String> firstCopies(String key) {
        return List.copyOf(firstCopiesPerKey.getOrDefault(key, Set.of()));
    }
}
