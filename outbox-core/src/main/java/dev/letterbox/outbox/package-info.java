/**
 * The outbox write API: build an {@link dev.letterbox.outbox.OutboxEvent}, append it with
 * {@link dev.letterbox.outbox.Outbox} inside your database transaction, create the tables with
 * {@link dev.letterbox.outbox.OutboxSchema}, and apply received events once with
 * {@link dev.letterbox.outbox.Inbox}.
 *
 * <p>Every exception is an {@link dev.letterbox.outbox.OutboxException}.
 */
package dev.letterbox.outbox;
