package dev.letterbox.examples.quickstart;

import dev.letterbox.examples.shipping.ShippingConsumer;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * What the quickstart achieved, read back from the database at the end, with the checks that
 * decide its exit code.
 *
 * <p>Immutable and thread-safe.
 *
 * @param written            events the writer committed
 * @param rolledBack         events appended in transactions that were rolled back on purpose
 * @param inOutbox           rows in the outbox table (must equal {@code written}: rolled back events never land)
 * @param published          outbox rows the relay published (acknowledged by Kafka; see {@link #PUBLISHED})
 * @param parked             outbox rows the relay parked (must be 0)
 * @param consumed           events the shipping consumer applied, counted as inbox rows
 * @param duplicatesDropped  records the consumer received again and the inbox recognised
 * @param redelivered        records the consumer re-read on purpose
 * @param ordersNotShipped   orders whose shipment did not end at the order's last version, ready to ship
 * @param ackLatency         created_at to the relay's Kafka ack (published_at, mark mode only), in ms: p50, p99, max
 * @param consumeLatency     created_at to the consumer's inbox row (processed_at), in ms: p50, p99, max
 * @param relayExitCode      the relay's exit code after SIGTERM (0 is a clean shutdown)
 */
record Summary(long written, long rolledBack, long inOutbox, long published, long parked, long consumed,
               long duplicatesDropped, long redelivered, long ordersNotShipped, double[] ackLatency,
               double[] consumeLatency, int relayExitCode) {

    /**
     * A published row of {@code outbox_event e}, whatever the relay's mode: marked PUBLISHED (mark
     * mode), or at or behind its shard's stored position (log mode, PostgreSQL's default, which
     * never updates a published row).
     */
    static final String PUBLISHED = "e.status = 'PUBLISHED' or (e.status = 'PENDING' and e.seq <= coalesce("
            + "(select l.position from outbox_lease l where l.name = 'shard-' || e.shard), 0))";

    /** Reads the counts and latencies from the database. */
    static Summary read(DataSource dataSource, long written, long rolledBack, long duplicatesDropped,
                        long redelivered, int relayExitCode) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            long[] outbox = longs(s, "select count(*), count(*) filter (where " + PUBLISHED + "),"
                    + " count(*) filter (where status = 'PARKED') from outbox_event e");
            long consumed = longs(s, "select count(*) from outbox_inbox where consumer = '"
                    + ShippingConsumer.CONSUMER + "'")[0];
            long notShipped = longs(s, "select count(*) from orders o left join shipments s on s.order_id = o.id"
                    + " where s.order_id is null or s.order_version <> o.version or s.status <> 'READY_TO_SHIP'")[0];
            double[] ack = percentiles(s, "extract(epoch from (e.published_at - e.created_at)) * 1000",
                    "from outbox_event e where e.status = 'PUBLISHED'");
            double[] consume = percentiles(s, "extract(epoch from (i.processed_at - e.created_at)) * 1000",
                    "from outbox_inbox i join outbox_event e on i.event_id = e.id::text"
                            + " where i.consumer = '" + ShippingConsumer.CONSUMER + "'");
            return new Summary(written, rolledBack, outbox[0], outbox[1], outbox[2], consumed, duplicatesDropped,
                    redelivered, notShipped, ack, consume, relayExitCode);
        }
    }

    /** The failed checks, each as one sentence; empty when the run is good. */
    List<String> problems() {
        List<String> problems = new ArrayList<>();
        if (inOutbox != written) {
            problems.add("the outbox holds " + inOutbox + " events but " + written + " were committed");
        }
        if (published != written) {
            problems.add("the relay published " + published + " of " + written + " events");
        }
        if (parked != 0) {
            problems.add("the relay parked " + parked + " events (see last_error in outbox_event)");
        }
        if (consumed != written) {
            problems.add("the consumer applied " + consumed + " of " + written + " events");
        }
        if (duplicatesDropped < redelivered) {
            problems.add("only " + duplicatesDropped + " of " + redelivered + " re-delivered records were dropped as duplicates");
        }
        if (ordersNotShipped != 0) {
            problems.add(ordersNotShipped + " orders have no shipment at their last version");
        }
        if (relayExitCode != 0) {
            problems.add("the relay exited with code " + relayExitCode + " after SIGTERM (0 expected)");
        }
        return problems;
    }

    /** Prints the summary block. */
    void print(PrintStream out, int orders, int eventsPerOrder, long transactions, long multiEventTransactions,
               double seconds) {
        out.println();
        out.println("Summary");
        out.printf("  events written      %,7d  (%d orders x %d events in %,d transactions, %,d of them with several events)%n",
                written, orders, eventsPerOrder, transactions, multiEventTransactions);
        out.printf("  rolled back         %,7d  (appended in transactions rolled back on purpose; none reached the outbox)%n",
                rolledBack);
        out.printf("  events published    %,7d  (acknowledged by Kafka and recorded by the relay; %d parked)%n", published, parked);
        out.printf("  events consumed     %,7d  (applied once each by '%s' through the inbox)%n", consumed,
                ShippingConsumer.CONSUMER);
        out.printf("  duplicates dropped  %,7d  (%d records re-delivered on purpose, recognised by event id)%n",
                duplicatesDropped, redelivered);
        out.printf("  shipments           %,7d  orders not ready to ship at their last version (0 = order per aggregate held)%n",
                ordersNotShipped);
        if (Double.isNaN(ackLatency[0])) {
            out.println("  commit-to-ack       n/a  (log mode, the default on PostgreSQL, writes no published_at; see commit-to-consume)");
        } else {
            out.printf("  commit-to-ack       p50 %s  p99 %s  max %s  (created_at -> the relay's Kafka ack, published_at)%n",
                    ms(ackLatency[0]), ms(ackLatency[1]), ms(ackLatency[2]));
        }
        out.printf("  commit-to-consume   p50 %s  p99 %s  max %s  (created_at -> the consumer's inbox row, processed_at)%n",
                ms(consumeLatency[0]), ms(consumeLatency[1]), ms(consumeLatency[2]));
        out.printf("  run time            %.1f s%n", seconds);
    }

    private static String ms(double value) {
        return Double.isNaN(value) ? "n/a" : String.format("%.0f ms", value);
    }

    private static long[] longs(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            long[] values = new long[rs.getMetaData().getColumnCount()];
            for (int i = 0; i < values.length; i++) {
                values[i] = rs.getLong(i + 1);
            }
            return values;
        }
    }

    private static double[] percentiles(Statement s, String expression, String fromWhere) throws SQLException {
        String sql = "select percentile_cont(0.5) within group (order by " + expression + "),"
                + " percentile_cont(0.99) within group (order by " + expression + "),"
                + " max(" + expression + ") " + fromWhere;
        try (ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            double[] values = new double[3];
            for (int i = 0; i < 3; i++) {
                values[i] = rs.getDouble(i + 1);
                if (rs.wasNull()) {
                    values[i] = Double.NaN;
                }
            }
            return values;
        }
    }
}
