package dev.letterbox.outbox.bench;

import dev.letterbox.outbox.Outbox;
import dev.letterbox.outbox.OutboxEvent;
import dev.letterbox.outbox.OutboxSchema;
import dev.letterbox.outbox.OutboxTables;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Measures what the outbox costs on a real PostgreSQL and prints the figures: the latency
 * {@code append} adds to a one-row business transaction (p50/p99, with vs. without), and the
 * throughput of {@code appendAll} with 1 KB events.
 *
 * <pre>
 * ./mvnw -o -q -pl outbox-core test-compile exec:java -Dexec.classpathScope=test \
 *   -Dexec.mainClass=dev.letterbox.outbox.bench.AppendBenchmark \
 *   -Dexec.args="jdbc:postgresql://127.0.0.1:5432/test?user=postgres"
 * </pre>
 *
 * Arguments: JDBC URL, latency iterations (default 20000), events for throughput (default 500000),
 * batch size (default 1000). It creates and drops its own {@code bench_*} tables.
 */
public final class AppendBenchmark {
  private static final OutboxTables TABLES = OutboxTables.of(null, "bench_outbox_");

  private AppendBenchmark() {}

  public static void main(String[] args) throws Exception {
    String url = args.length > 0 ? args[0] : "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";
    int iterations = args.length > 1 ? Integer.parseInt(args[1]) : 20_000;
    int events = args.length > 2 ? Integer.parseInt(args[2]) : 500_000;
    int batch = args.length > 3 ? Integer.parseInt(args[3]) : 1000;
    PGSimpleDataSource ds = new PGSimpleDataSource();
    ds.setUrl(url);
    try (Connection c = ds.getConnection()) {
      System.out.printf("server: %s; synchronous_commit=%s; shared_buffers=%s%n", c.getMetaData().getDatabaseProductVersion(),
          show(c, "synchronous_commit"), show(c, "shared_buffers"));
    }
    reset(ds);
    Outbox outbox = Outbox.builder().tables(TABLES).build();
    byte[] payload = payload(1024);
    latency(ds, outbox, payload, iterations);
    reset(ds);
    throughput(ds, outbox, payload, events, batch);
    drop(ds);
  }

  private static void latency(PGSimpleDataSource ds, Outbox outbox, byte[] payload, int iterations) throws SQLException {
    long[] without = new long[iterations];
    long[] with = new long[iterations];
    try (Connection c = ds.getConnection()) {
      c.setAutoCommit(false);
      int warmup = Math.max(1000, iterations / 5);
      for (int i = -warmup; i < iterations; i++) {
        // Alternate the two variants so drift (vacuum, checkpoints) hits both alike.
        long a = businessTransaction(c, null, null, i);
        long b = businessTransaction(c, outbox, payload, i);
        if (i >= 0) {
          without[i] = a;
          with[i] = b;
        }
      }
    }
    Arrays.sort(without);
    Arrays.sort(with);
    System.out.printf(Locale.ROOT, "latency, one-row business transaction (insert + commit), %d iterations, 1 KB event:%n",
        iterations);
    System.out.printf(Locale.ROOT, "  without outbox : p50 %.3f ms  p99 %.3f ms%n", ms(pct(without, 50)), ms(pct(without, 99)));
    System.out.printf(Locale.ROOT, "  with append    : p50 %.3f ms  p99 %.3f ms%n", ms(pct(with, 50)), ms(pct(with, 99)));
    System.out.printf(Locale.ROOT, "  added by append: p50 %.3f ms  p99 %.3f ms%n",
        ms(pct(with, 50) - pct(without, 50)), ms(pct(with, 99) - pct(without, 99)));
  }

  private static long businessTransaction(Connection c, Outbox outbox, byte[] payload, int i) throws SQLException {
    long start = System.nanoTime();
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO bench_orders (customer, amount) VALUES (?, ?)")) {
      ps.setString(1, "customer-" + (i & 1023));
      ps.setLong(2, i);
      ps.executeUpdate();
    }
    if (outbox != null) {
      outbox.append(c, OutboxEvent.builder().aggregateType("order").aggregateId("order-" + i)
          .eventType("OrderPlaced").payload(payload).header("tenant", "acme").build());
    }
    c.commit();
    return System.nanoTime() - start;
  }

  private static void throughput(PGSimpleDataSource ds, Outbox outbox, byte[] payload, int events, int batch)
      throws SQLException {
    try (Connection c = ds.getConnection()) {
      c.setAutoCommit(false);
      appendBatches(c, outbox, payload, Math.min(events / 5, 50_000), batch); // warm-up
      c.commit();
      long start = System.nanoTime();
      int written = appendBatches(c, outbox, payload, events, batch);
      double seconds = (System.nanoTime() - start) / 1e9;
      System.out.printf(Locale.ROOT, "throughput, appendAll of %d-event batches (one transaction each), 1 KB events:%n",
          batch);
      System.out.printf(Locale.ROOT, "  %d events in %.2f s = %.0f events/s (%.1f MB/s of payload)%n", written, seconds,
          written / seconds, written * (double) payload.length / seconds / 1e6);
    }
  }

  private static int appendBatches(Connection c, Outbox outbox, byte[] payload, int events, int batch)
      throws SQLException {
    int written = 0;
    while (written < events) {
      List<OutboxEvent> list = new ArrayList<>(batch);
      for (int i = 0; i < batch; i++) {
        list.add(OutboxEvent.builder().aggregateType("order").aggregateId("order-" + (written + i))
            .eventType("OrderPlaced").payload(payload).header("tenant", "acme").build());
      }
      outbox.appendAll(c, list);
      c.commit();
      written += batch;
    }
    return written;
  }

  private static byte[] payload(int size) {
    StringBuilder json = new StringBuilder("{\"items\":[");
    for (int i = 0; json.length() < size - 16; i++) {
      json.append(i == 0 ? "" : ",").append("{\"sku\":\"SKU-").append(1000 + i).append("\",\"qty\":").append(i % 7 + 1).append('}');
    }
    json.append("]}");
    while (json.length() < size) {
      json.insert(json.length() - 1, ' ');
    }
    return json.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static void reset(PGSimpleDataSource ds) throws SQLException {
    drop(ds);
    OutboxSchema.of(TABLES).migrate(ds);
    try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE bench_orders (id bigserial PRIMARY KEY, customer varchar(64) NOT NULL,"
          + " amount bigint NOT NULL, created_at timestamptz NOT NULL DEFAULT now())");
    }
  }

  private static void drop(PGSimpleDataSource ds) throws SQLException {
    try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
      s.execute("DROP TABLE IF EXISTS bench_orders, " + TABLES.eventTable() + ", " + TABLES.leaseTable() + ", "
          + TABLES.inboxTable() + ", " + TABLES.schemaVersionTable());
    }
  }

  private static String show(Connection c, String setting) throws SQLException {
    try (Statement s = c.createStatement(); var rs = s.executeQuery("SHOW " + setting)) {
      rs.next();
      return rs.getString(1);
    }
  }

  private static long pct(long[] sorted, int percentile) {
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(percentile / 100.0 * sorted.length) - 1)];
  }

  private static double ms(long nanos) {
    return nanos / 1e6;
  }
}
