package dev.letterbox.debezium.internal;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads and writes the {@code headers} column (a JSON object of string values) by the same rules
 * as the polling strategy: null values are left out, other non-string values keep their JSON text.
 * Thread-safe.
 */
final class HeadersJson {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private HeadersJson() {
    }

    static Map<String, String> parse(String json) {
        if (json == null || json.isBlank()) {
            return Map.of();
        }
        Map<String, String> headers = new LinkedHashMap<>();
        try (JsonParser p = MAPPER.createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException("headers must be a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken t = p.nextToken();
                if (t == JsonToken.VALUE_NULL) {
                    continue;
                }
                headers.put(name, t.isScalarValue() ? p.getText() : MAPPER.readTree(p).toString());
            }
            return headers;
        } catch (IOException e) {
            throw new IllegalArgumentException("headers are not valid JSON: " + e.getMessage(), e);
        }
    }

    static String write(Map<String, String> headers) {
        try {
            return MAPPER.writeValueAsString(headers);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
