/**
 * The "shipping" example service: it reads the orders' events from Kafka and applies each one
 * exactly once through the inbox, writing its {@code shipments} row in the same database
 * transaction as the inbox row.
 */
package dev.letterbox.examples.shipping;
