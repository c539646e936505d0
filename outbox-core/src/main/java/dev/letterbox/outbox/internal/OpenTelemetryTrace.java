package dev.letterbox.outbox.internal;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import java.util.LinkedHashMap;
import java.util.Map;

/** Reads the current span through the OpenTelemetry API; loaded only when it is present; stateless. */
final class OpenTelemetryTrace {
  private OpenTelemetryTrace() {}

  static Map<String, String> withCurrent(Map<String, String> headers) {
    Context context = Context.current();
    if (!Span.fromContext(context).getSpanContext().isValid()) {
      return headers;
    }
    Map<String, String> carrier = new LinkedHashMap<>(4);
    W3CTraceContextPropagator.getInstance().inject(context, carrier, (map, key, value) -> map.put(key, value));
    Map<String, String> merged = new LinkedHashMap<>(headers);
    carrier.forEach(merged::putIfAbsent);
    return merged;
  }
}
