package dev.letterbox.outbox.internal;

import java.util.Map;

/**
 * Adds the current W3C trace context ({@code traceparent}, {@code tracestate}) to event headers
 * when the OpenTelemetry API is on the classpath; headers the caller set win; stateless.
 */
public final class TraceContext {
  private static final boolean OTEL_PRESENT = JsonPayloads.present("io.opentelemetry.api.trace.Span")
      && JsonPayloads.present("io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator");

  private TraceContext() {}

  /** Whether the OpenTelemetry API was found. */
  public static boolean available() {
    return OTEL_PRESENT;
  }

  /**
   * Returns {@code headers} plus the current span's trace context, or {@code headers} itself when
   * there is no valid current span, OpenTelemetry is absent, or the caller set {@code traceparent}
   * (then the caller's trace context wins as a whole: {@code tracestate} belongs to it).
   */
  public static Map<String, String> withCurrent(Map<String, String> headers) {
    if (!OTEL_PRESENT || headers.containsKey("traceparent")) {
      return headers;
    }
    return OpenTelemetryTrace.withCurrent(headers);
  }
}
