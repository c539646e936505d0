/**
 * Real PostgreSQL, MariaDB and Kafka servers for tests and for the quickstart.
 *
 * <p>Each server is chosen once per JVM, lazily, when a test first asks for it: an address from an
 * environment variable if set, else a Testcontainers container when Docker works, else a server
 * started from Maven artifacts (embedded PostgreSQL, in-process Kafka). MariaDB has no artifact
 * fallback: without an address or Docker its tests are aborted and reported as skipped.
 *
 * <pre>{@code
 * TestDatabase db = PostgresServer.shared().createDatabase("OrderOutboxIT");
 * KafkaServer kafka = KafkaServer.shared();
 * String topic = kafka.createTopic(kafka.uniqueTopic("orders"), 3);
 * }</pre>
 *
 * <table>
 *   <caption>Environment variables</caption>
 *   <tr><th>variable</th><th>example</th></tr>
 *   <tr><td>{@code OUTBOX_TEST_POSTGRES_URL}</td><td>{@code jdbc:postgresql://127.0.0.1:5432/test?user=postgres}</td></tr>
 *   <tr><td>{@code OUTBOX_TEST_POSTGRES_USER}, {@code OUTBOX_TEST_POSTGRES_PASSWORD}</td><td>credentials, if not in the URL</td></tr>
 *   <tr><td>{@code OUTBOX_TEST_MARIADB_URL}</td><td>{@code jdbc:mariadb://127.0.0.1:3306/test?user=root}</td></tr>
 *   <tr><td>{@code OUTBOX_TEST_MARIADB_USER}, {@code OUTBOX_TEST_MARIADB_PASSWORD}</td><td>credentials, if not in the URL</td></tr>
 *   <tr><td>{@code OUTBOX_TEST_KAFKA_BOOTSTRAP}</td><td>{@code 127.0.0.1:9092}</td></tr>
 *   <tr><td>{@code OUTBOX_TEST_KEEP_DATABASES}</td><td>{@code true} keeps the databases tests created on a server
 *       given by URL (they are dropped at JVM exit otherwise)</td></tr>
 *   <tr><td>{@code OUTBOX_TEST_USE_DOCKER}</td><td>{@code false} never uses Testcontainers, even where Docker works</td></tr>
 * </table>
 *
 * <p>A system property of the same name overrides each variable (handy in an IDE run configuration).
 * Include {@code dev/letterbox/testsupport/logback-quiet-servers.xml} from a {@code logback-test.xml}
 * to keep the servers' own logging at WARN.
 */
package dev.letterbox.testsupport;
