package dev.letterbox.relay.service.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The admin HTTP server on a loopback port (issue 11, item 8). Regression: unknown paths and bad
 * query strings answered HTML, {@code /health/ready/extra} answered 200, and a repeated
 * {@code level=} silently took the last.
 */
class AdminServerTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final LogLevels levels = new LogLevels();
    private AdminServer server;

    private record Answer(int status, String contentType, JsonNode json) {
    }

    @BeforeEach
    void start() {
        server = AdminServer.start("127.0.0.1", 0, () -> new Readiness(true, Map.of("phase", "running")), registry,
                levels, null);
    }

    @AfterEach
    void stop() {
        server.close();
        levels.close();
        registry.close();
    }

    private Answer send(String method, String pathAndQuery) throws IOException, InterruptedException {
        return send(method, pathAndQuery, "");
    }

    private Answer send(String method, String pathAndQuery, String form) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + pathAndQuery))
                .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/x-www-form-urlencoded")
                .method(method, HttpRequest.BodyPublishers.ofString(form)).build();
        HttpResponse<String> r = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        String type = r.headers().firstValue("Content-Type").orElse("");
        return new Answer(r.statusCode(), type, type.startsWith("application/json") ? new ObjectMapper().readTree(r.body())
                : null);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/", "/nope", "/health/ready/extra", "/health/live/x", "/metricsx", "/admin/log-level/x"})
    void answersUnknownPathsWithAJson404(String path) throws Exception {
        Answer a = send("GET", path);

        assertThat(a.status()).isEqualTo(404);
        assertThat(a.contentType()).startsWith("application/json");
        assertThat(a.json().get("error").asText()).contains("no endpoint " + path).contains("/health/ready");
    }

    @Test
    void refusesARepeatedParameterAnUnknownOneAndAMalformedEscapeWithAJson400() throws Exception {
        Answer twice = send("POST", "/admin/log-level?logger=dev.letterbox&level=DEBUG&level=INFO");
        Answer unknown = send("GET", "/admin/log-level?loger=dev.letterbox");
        Answer escape = send("POST", "/admin/log-level", "level=DEBUG&logger=%zz");

        assertThat(twice.status()).isEqualTo(400);
        assertThat(twice.json().get("error").asText()).isEqualTo("parameter 'level' given more than once; give it once");
        assertThat(levels.get("dev.letterbox").level()).as("nothing changed").isNull();
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.json().get("error").asText()).contains("unknown parameter 'loger'");
        assertThat(escape.status()).isEqualTo(400);
        assertThat(escape.contentType()).startsWith("application/json");
        assertThat(escape.json().get("error").asText()).contains("malformed URL encoding");
    }

    @Test
    void stillServesTheKnownEndpoints() throws Exception {
        assertThat(send("GET", "/health/ready").status()).isEqualTo(200);
        assertThat(send("GET", "/health/live?probe=k8s").status()).isEqualTo(200);
        assertThat(send("GET", "/admin/log-level?logger=dev.letterbox").json().get("logger").asText())
                .isEqualTo("dev.letterbox");
        assertThat(send("DELETE", "/health/ready").status()).isEqualTo(405);
    }
}
