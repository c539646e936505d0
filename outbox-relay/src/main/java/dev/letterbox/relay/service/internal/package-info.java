/**
 * Implementation of the standalone service: YAML reading with line numbers, key declarations and
 * binding, secret masking, the admin HTTP server, logging set-up, start-up waits and the SQL of the
 * operator commands ({@code status}, {@code parked}, {@code replay}). Not an API: it changes without notice.
 */
package dev.letterbox.relay.service.internal;
