/**
 * Implementation of the outbox API: dialect detection, SQL rendering, migrations, UUIDv7 ids and
 * trace-context capture. Not API: may change in any release.
 */
package dev.letterbox.outbox.internal;
