/**
 * Example services that embed Letterbox, and the one-command quickstart that runs them end to end.
 *
 * <p>{@link dev.letterbox.examples.Main} is the entry point of {@code letterbox-examples.jar}:
 * {@code quickstart} (the default), {@code orders} and {@code shipping}. The services live in
 * {@link dev.letterbox.examples.orders} (writes business rows and outbox events in one transaction)
 * and {@link dev.letterbox.examples.shipping} (consumes the events once, through the inbox).
 */
package dev.letterbox.examples;
