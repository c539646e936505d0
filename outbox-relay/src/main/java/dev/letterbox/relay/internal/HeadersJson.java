package dev.letterbox.relay.internal;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/** Reads the {@code headers} column, a JSON object of string values; thread-safe. */
final class HeadersJson {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private HeadersJson() {
    }

    /** Parses the column; null or blank gives an empty map; non-string values are kept as their JSON text. */
    static Map<String, String> parse(String json) throws IOException {
        if (json == null || json.isBlank()) {
            return Map.of();
        }
        Map<String, String> headers = new LinkedHashMap<>();
        try (JsonParser p = MAPPER.createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("headers must be a JSON object, was: " + abbreviate(json));
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken t = p.nextToken();
                if (t == JsonToken.VALUE_STRING) {
                    headers.put(name, p.getText());
                } else if (t == JsonToken.VALUE_NULL) {
                    continue;
                } else if (t.isScalarValue()) {
                    headers.put(name, p.getText());
                } else {
                    headers.put(name, MAPPER.readTree(p).toString());
                }
            }
        }
        return headers;
    }

    private static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 80) + "...";
    }
}
