/**
 * The one-command quickstart: embedded PostgreSQL and Kafka, the example services, and the real
 * relay service, run end to end with progress and a checked summary.
 *
 * <p>{@link dev.letterbox.examples.quickstart.Quickstart} is the entry; see {@code docs/quickstart.md}.
 */
package dev.letterbox.examples.quickstart;
