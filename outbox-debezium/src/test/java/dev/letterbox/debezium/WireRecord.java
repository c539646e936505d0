package dev.letterbox.debezium;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * A Kafka record as a consumer sees it, in a form that compares field by field and prints
 * readably: topic, partition, key (UTF-8), value (base64, exact bytes; null for a tombstone) and
 * every header in order as {@code name=value}. Offsets and timestamps are left out on purpose.
 */
record WireRecord(String topic, int partition, String key, String value, List<String> headers) {

    static WireRecord of(ConsumerRecord<byte[], byte[]> r) {
        List<String> headers = new ArrayList<>();
        for (Header h : r.headers()) {
            headers.add(h.key() + "=" + (h.value() == null ? "<null>" : new String(h.value(), StandardCharsets.UTF_8)));
        }
        return new WireRecord(r.topic(), r.partition(), r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8),
                r.value() == null ? null : Base64.getEncoder().encodeToString(r.value()), List.copyOf(headers));
    }

    /** The record as the contract says it must be for these fields (value as raw bytes, null for a tombstone). */
    static WireRecord expected(String topic, int partition, String key, byte[] value, List<String> headers) {
        return new WireRecord(topic, partition, key, value == null ? null : Base64.getEncoder().encodeToString(value),
                List.copyOf(headers));
    }

    /** The {@code id} header's value (the event id). */
    String id() {
        return headers.stream().filter(h -> h.startsWith("id=")).map(h -> h.substring(3)).findFirst().orElse(null);
    }

    /** The records by event id; fails on a second record with the same id. */
    static Map<String, WireRecord> byId(List<ConsumerRecord<byte[], byte[]>> records) {
        Map<String, WireRecord> byId = new LinkedHashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : records) {
            WireRecord w = of(r);
            if (byId.put(w.id(), w) != null) {
                throw new AssertionError("event " + w.id() + " was published twice: " + w);
            }
        }
        return byId;
    }

    /** The event ids of each topic-partition, in offset order: the order consumers see. */
    static Map<String, List<String>> orderPerPartition(List<ConsumerRecord<byte[], byte[]>> records) {
        Map<String, List<String>> order = new java.util.TreeMap<>();
        records.stream().sorted(Comparator.comparing((ConsumerRecord<byte[], byte[]> r) -> r.topic())
                        .thenComparingInt(ConsumerRecord::partition).thenComparingLong(ConsumerRecord::offset))
                .forEach(r -> order.computeIfAbsent(r.topic() + "-" + r.partition(), k -> new ArrayList<>()).add(of(r).id()));
        return order;
    }
}
