package dev.letterbox.relay.service.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin HTTP server on the JDK's {@link HttpServer}: {@code /health/live}, {@code /health/ready},
 * {@code /metrics} and {@code /admin/log-level}. State-changing requests need
 * {@code Authorization: Bearer <admin.token>} when a token is configured.
 *
 * <p>Thread-safe. Owns its listener and two daemon worker threads ({@code outbox-relay-admin-N});
 * {@link #close()} stops them and is idempotent.
 */
public final class AdminServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AdminServer.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final java.util.List<String> LOG_LEVEL_PARAMS = java.util.List.of("logger", "level", "revertAfter");

    private final HttpServer server;
    private final ExecutorService workers;
    private final Supplier<Readiness> readiness;
    private final PrometheusMeterRegistry registry;
    private final LogLevels logLevels;
    private final byte[] token;

    private AdminServer(HttpServer server, ExecutorService workers, Supplier<Readiness> readiness,
                        PrometheusMeterRegistry registry, LogLevels logLevels, String token) {
        this.server = server;
        this.workers = workers;
        this.readiness = readiness;
        this.registry = registry;
        this.logLevels = logLevels;
        this.token = token == null ? null : token.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Binds and starts the server.
     *
     * @param bindAddress listen address, e.g. {@code 0.0.0.0}
     * @param port        listen port, 0 for any free port
     * @param readiness   asked on every {@code /health/ready}; must be quick
     * @param registry    the registry {@code /metrics} scrapes; stays the caller's
     * @param logLevels   backs {@code /admin/log-level}; stays the caller's
     * @param token       bearer token for state-changing requests, or null for none
     * @throws FatalStartupException ({@link ExitCodes#ADMIN_UNAVAILABLE}) when the address cannot be bound
     */
    public static AdminServer start(String bindAddress, int port, Supplier<Readiness> readiness,
                                    PrometheusMeterRegistry registry, LogLevels logLevels, String token) {
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(bindAddress, port), 16);
        } catch (IOException | RuntimeException e) {
            // regression: a port in use or an address that does not resolve ended run with exit code 1
            // and a stack trace, as an "unexpected" failure
            String why = e instanceof java.nio.channels.UnresolvedAddressException ? "the address does not resolve"
                    : String.valueOf(e.getMessage());
            throw new FatalStartupException(ExitCodes.ADMIN_UNAVAILABLE, "the admin server cannot listen on "
                    + bindAddress + ":" + port + " (" + why + "): choose another admin.port or admin.bind-address",
                    e);
        }
        AtomicInteger n = new AtomicInteger();
        ExecutorService workers = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "outbox-relay-admin-" + n.getAndIncrement());
            t.setDaemon(true);
            return t;
        });
        AdminServer admin = new AdminServer(server, workers, readiness, registry, logLevels, token);
        server.setExecutor(workers);
        // the JDK matches contexts by prefix: each handler checks its whole path, and "/" answers the
        // rest (regression: unknown paths got an HTML 404 and /health/ready/extra answered 200)
        server.createContext("/health/live", ex -> admin.handle(ex, "/health/live", admin::live));
        server.createContext("/health/ready", ex -> admin.handle(ex, "/health/ready", admin::ready));
        server.createContext("/metrics", ex -> admin.handle(ex, "/metrics", admin::metrics));
        server.createContext("/admin/log-level", ex -> admin.handle(ex, "/admin/log-level", admin::logLevel));
        server.createContext("/", ex -> admin.handle(ex, null, admin::notFound));
        server.start();
        LOG.atInfo().addKeyValue("address", bindAddress).addKeyValue("port", admin.port())
                .log("admin server listening");
        return admin;
    }

    /** The port the server is bound to (the chosen one when 0 was configured). */
    public int port() {
        return server.getAddress().getPort();
    }

    private interface Handler {
        void handle(HttpExchange exchange) throws IOException;
    }

    private void handle(HttpExchange exchange, String path, Handler handler) throws IOException {
        // the exchange is closed after the error answer, not before it (a try-with-resources closed it
        // first, so the 500 of a failed request never reached the client)
        try {
            if (path != null && !path.equals(exchange.getRequestURI().getPath())) {
                notFound(exchange);
            } else {
                handler.handle(exchange);
            }
        } catch (BadRequest e) {
            respondJson(exchange, 400, Map.of("error", e.getMessage()));
        } catch (RuntimeException e) {
            LOG.atWarn().setCause(e).addKeyValue("path", exchange.getRequestURI().getPath())
                    .log("admin request failed");
            respondJson(exchange, 500, Map.of("error", String.valueOf(e.getMessage())));
        } finally {
            exchange.close();
        }
    }

    private void notFound(HttpExchange ex) throws IOException {
        respondJson(ex, 404, Map.of("error", "no endpoint " + ex.getRequestURI().getPath() + "; the endpoints are"
                + " /health/live, /health/ready, /metrics and /admin/log-level"));
    }

    /** A request the server understood but cannot serve as it is: answered 400 with the reason. */
    private static final class BadRequest extends RuntimeException {
        private static final long serialVersionUID = 1L;

        BadRequest(String reason) {
            super(reason);
        }
    }

    private void live(HttpExchange ex) throws IOException {
        if (!allow(ex, "GET", "HEAD")) {
            return;
        }
        respondJson(ex, 200, Map.of("status", "UP"));
    }

    private void ready(HttpExchange ex) throws IOException {
        if (!allow(ex, "GET", "HEAD")) {
            return;
        }
        Readiness r = readiness.get();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", r.ready() ? "UP" : "DOWN");
        body.putAll(r.details());
        respondJson(ex, r.ready() ? 200 : 503, body);
    }

    private void metrics(HttpExchange ex) throws IOException {
        if (!allow(ex, "GET", "HEAD")) {
            return;
        }
        respond(ex, 200, "text/plain; version=0.0.4; charset=utf-8", registry.scrape().getBytes(StandardCharsets.UTF_8));
    }

    private void logLevel(HttpExchange ex) throws IOException {
        String method = ex.getRequestMethod();
        Map<String, String> params = params(ex.getRequestURI().getRawQuery());
        if (method.equals("POST") || method.equals("PUT")) {
            if (!authorized(ex)) {
                ex.getResponseHeaders().add("WWW-Authenticate", "Bearer realm=\"outbox-relay\"");
                respondJson(ex, 401, Map.of("error", "this endpoint needs the header Authorization: Bearer <admin.token>"));
                return;
            }
            params(readBody(ex)).forEach((k, v) -> {
                if (params.put(k, v) != null) {
                    throw new BadRequest("parameter '" + k + "' given more than once; give it once");
                }
            });
            if (!params.containsKey("level")) {
                respondJson(ex, 400, Map.of("error", "give level=TRACE|DEBUG|INFO|WARN|ERROR|OFF|inherit, and optionally"
                        + " logger=<name> (default ROOT) and revertAfter=<duration such as 5m>"));
                return;
            }
            Duration revert;
            LogLevels.View view;
            try {
                String after = params.get("revertAfter");
                revert = after == null || after.isBlank() ? null : ValueType.parseDuration(after);
                view = logLevels.set(params.get("logger"), params.get("level"), revert);
            } catch (IllegalArgumentException e) {
                respondJson(ex, 400, Map.of("error", e.getMessage()));
                return;
            }
            LOG.atInfo().addKeyValue("logger", view.logger()).addKeyValue("level", params.get("level"))
                    .addKeyValue("revert_after", revert == null ? "never" : revert.toString()).log("log level changed");
            respondJson(ex, 200, view);
        } else if (allow(ex, "GET", "POST", "PUT")) {
            respondJson(ex, 200, logLevels.get(params.get("logger")));
        }
    }

    private boolean authorized(HttpExchange ex) {
        if (token == null) {
            return true;
        }
        String header = ex.getRequestHeaders().getFirst("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        return MessageDigest.isEqual(token, header.substring(7).trim().getBytes(StandardCharsets.UTF_8));
    }

    private static boolean allow(HttpExchange ex, String... methods) throws IOException {
        for (String m : methods) {
            if (m.equals(ex.getRequestMethod())) {
                return true;
            }
        }
        ex.getResponseHeaders().add("Allow", String.join(", ", methods));
        respondJson(ex, 405, Map.of("error", "method " + ex.getRequestMethod() + " not allowed here"));
        return false;
    }

    private static String readBody(HttpExchange ex) throws IOException {
        try (InputStream in = ex.getRequestBody()) {
            return new String(in.readNBytes(8192), StandardCharsets.UTF_8);
        }
    }

    /**
     * The parameters of {@code /admin/log-level}. Regression: a repeated parameter silently took the
     * last value, and a malformed escape answered 500; both are now 400 with the reason.
     */
    private static Map<String, String> params(String query) {
        Map<String, String> out = new LinkedHashMap<>();
        if (query == null || query.isBlank()) {
            return out;
        }
        for (String pair : query.trim().split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String k = decode(eq < 0 ? pair : pair.substring(0, eq));
            String v = eq < 0 ? "" : decode(pair.substring(eq + 1));
            if (!LOG_LEVEL_PARAMS.contains(k)) {
                throw new BadRequest("unknown parameter '" + k + "'; give " + String.join(", ", LOG_LEVEL_PARAMS));
            }
            if (out.put(k, v) != null) {
                throw new BadRequest("parameter '" + k + "' given more than once; give it once");
            }
        }
        return out;
    }

    private static String decode(String text) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new BadRequest("malformed URL encoding in '" + text + "' (" + e.getMessage() + ")");
        }
    }

    private static void respondJson(HttpExchange ex, int status, Object body) throws IOException {
        respond(ex, status, "application/json", JSON.writeValueAsBytes(body));
    }

    private static void respond(HttpExchange ex, int status, String contentType, byte[] body) throws IOException {
        ex.getResponseHeaders().set("Content-Type", contentType);
        boolean head = ex.getRequestMethod().equals("HEAD");
        ex.sendResponseHeaders(status, head ? -1 : body.length);
        if (!head) {
            ex.getResponseBody().write(body);
        }
    }

    /** Stops listening, waiting at most one second for requests in progress. Idempotent. */
    @Override
    public void close() {
        if (workers.isShutdown()) {
            return;
        }
        server.stop(0);
        workers.shutdown();
        try {
            workers.awaitTermination(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
