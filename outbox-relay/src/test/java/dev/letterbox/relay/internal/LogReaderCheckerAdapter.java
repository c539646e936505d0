package dev.letterbox.relay.internal;

import dev.letterbox.outbox.OutboxTables;
import dev.letterbox.relay.logmode.ReadEvent;
import dev.letterbox.relay.logmode.Reader;
import dev.letterbox.relay.spi.Lease;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * The relay's own log-mode reader ({@link LogReader}) as a {@link Reader} of the log-mode
 * concurrency checker: one instance that holds all 64 shards, reads batches as a poller does,
 * counts each batch as acknowledged at once and stores its positions (no Kafka in between). The
 * event's number within its aggregate is the row's {@code type}.
 *
 * <p>Not thread-safe (a {@link Reader} is polled by one thread).
 */
public final class LogReaderCheckerAdapter implements Reader {

    private static final String INSTANCE = "log-mode-checker";

    private final Db db;
    private final LogReader reader;
    private final LogPositions positions;
    private final int batchSize;
    private Map<Integer, Lease> leases;

    /**
     * Creates the adapter on the default table names ({@code outbox_event}, {@code outbox_event_seq}).
     *
     * @param dataSource the database (schema version 4); used to detect the dialect, not closed
     * @param horizonWait how long a transaction may run before the reader publishes past it ({@code relay.polling.horizon-wait})
     * @param batchSize rows per read
     */
    public LogReaderCheckerAdapter(DataSource dataSource, Duration horizonWait, int batchSize) throws SQLException {
        this.db = new Db(dataSource, OutboxTables.ofDefaults());
        this.reader = new LogReader(db, db.eventTable(), db.qualified("outbox_event_seq"), false, horizonWait,
                System::nanoTime);
        this.positions = new LogPositions(db, INSTANCE);
        this.batchSize = batchSize;
    }

    @Override
    public List<ReadEvent> poll(Connection connection) throws SQLException {
        if (leases == null) {
            leases = takeAllShards(connection);
        }
        reader.sync(connection, leases, positions);
        LogReader.Batch batch = reader.read(connection, batchSize);
        List<ReadEvent> events = new ArrayList<>(batch.rows().size());
        for (ClaimedRow row : batch.rows()) {
            events.add(new ReadEvent(row.seq(), row.record().aggregateId(), Integer.parseInt(row.record().eventType())));
        }
        reader.acked(batch);
        positions.store(connection, batch.posAfter(), leases);
        return events;
    }

    /** The relay publishes rows read past a long transaction and may send them again after a crash. */
    @Override
    public boolean atLeastOnce() {
        return true;
    }

    /** Returns where the horizon stands, as the relay reports it. */
    public String stall() {
        return reader.stall().toString();
    }

    private Map<Integer, Lease> takeAllShards(Connection c) throws SQLException {
        LeaseStore store = new LeaseStore(db, INSTANCE, Duration.ofHours(1));
        List<String> names = new ArrayList<>();
        for (int s = 0; s < LeaseStore.SHARDS; s++) {
            names.add(LeaseStore.shardName(s));
        }
        store.ensureRows(c, names);
        store.acquire(c, names, true);
        Map<Integer, Lease> mine = new HashMap<>();
        for (LeaseStore.Row row : store.readAll(c)) {
            if (row.name().startsWith("shard-") && INSTANCE.equals(row.owner())) {
                mine.put(ShardLeases.shardOf(row.name()), new Lease(row.name(), row.owner(), row.epoch()));
            }
        }
        if (mine.size() != LeaseStore.SHARDS) {
            throw new IllegalStateException("the checker's reader holds " + mine.size() + " of " + LeaseStore.SHARDS
                    + " shard leases; is a relay running on this database?");
        }
        return mine;
    }
}
