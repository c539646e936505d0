/**
 * The standalone relay service: the {@code outbox-relay.jar} command line ({@link dev.letterbox.relay.service.Main}),
 * its YAML configuration ({@link dev.letterbox.relay.service.ServiceConfig}), the admin HTTP server and
 * the service's logging.
 *
 * <p>Usage and exit codes are in docs/service.md; every configuration key in docs/configuration.md.
 */
package dev.letterbox.relay.service;
