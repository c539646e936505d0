/**
 * Implementation of the test servers: URL parsing, database creation, the embedded and in-process
 * servers and their shutdown. Not API: use {@code dev.letterbox.testsupport}.
 */
package dev.letterbox.testsupport.internal;
