package dev.letterbox.relay.service.internal;

import static org.jooq.impl.DSL.count;
import static org.jooq.impl.DSL.currentTimestamp;
import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.max;
import static org.jooq.impl.DSL.min;
import static org.jooq.impl.DSL.name;
import static org.jooq.impl.DSL.noCondition;
import static org.jooq.impl.DSL.table;

import dev.letterbox.outbox.OutboxTables;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.SQLDialect;
import org.jooq.Table;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;
import org.jooq.tools.jdbc.JDBCUtils;

/**
 * The SQL of the operator commands ({@code status}, {@code parked}, {@code replay}) over the outbox
 * and lease tables; every statement works on a set of rows, never row by row.
 *
 * <p>Thread-safe (each call borrows its own connection).
 */
public final class OutboxQueries {

    static final String PENDING = "PENDING";
    static final String PUBLISHED = "PUBLISHED";
    static final String PARKED = "PARKED";
    /** Lease rows of the polling relay's shards: {@code shard-0} .. {@code shard-63}. */
    private static final String SHARD_PREFIX = "shard-";
    /** Lease rows that show a polling instance is alive: {@code member-<instance-id>}. */
    private static final String MEMBER_PREFIX = "member-";
    /** The lease row naming the polling mode in force ({@code owner}: log or mark). */
    private static final String POLLING_MODE_ROW = "polling-mode";

    private final DSLContext sql;
    private final Table<?> event;
    private final Table<?> lease;
    private final Field<Object> id;
    private final Field<String> status = field(name("status"), String.class);
    private final Field<String> aggregateType = field(name("aggregatetype"), String.class);
    private final Field<String> aggregateId = field(name("aggregateid"), String.class);
    private final Field<String> type = field(name("type"), String.class);
    private final Field<String> topic = field(name("topic"), String.class);
    private final Field<Long> seq = field(name("seq"), Long.class);
    private final Field<Timestamp> createdAt = field(name("created_at"), SQLDataType.TIMESTAMP);
    private final Field<Timestamp> publishedAt = field(name("published_at"), SQLDataType.TIMESTAMP);
    private final Field<Timestamp> nextAttemptAt = field(name("next_attempt_at"), SQLDataType.TIMESTAMP);
    private final Field<Integer> attempts = field(name("attempts"), Integer.class);
    private final Field<String> lastError = field(name("last_error"), String.class);
    private final Field<String> leaseName = field(name("name"), String.class);
    private final Field<String> owner = field(name("owner"), String.class);
    private final Field<Long> epoch = field(name("epoch"), Long.class);
    private final Field<Timestamp> expiresAt = field(name("expires_at"), SQLDataType.TIMESTAMP);
    private final boolean uuidIds;
    private final boolean reinsert;
    private final Field<byte[]> payload = field(name("payload"), SQLDataType.BLOB);
    private final Field<?> headers;

    /** Queries the tables {@code tables} in the database at {@code url} through {@code dataSource}. */
    public OutboxQueries(DataSource dataSource, String url, OutboxTables tables) {
        this(dataSource, url, tables, "polling");
    }

    /**
     * Queries the tables {@code tables} for a relay running {@code strategy}: under {@code cdc},
     * events are made pending again by deleting and re-inserting their rows in one transaction (the
     * change stream carries inserts only; an UPDATE back to PENDING would never be published).
     */
    public OutboxQueries(DataSource dataSource, String url, OutboxTables tables, String strategy) {
        SQLDialect dialect = JDBCUtils.dialect(url);
        this.reinsert = "cdc".equals(strategy);
        this.headers = dialect.family() == SQLDialect.POSTGRES ? field(name("headers"), SQLDataType.JSONB)
                : field(name("headers"), SQLDataType.CLOB);
        this.sql = DSL.using(dataSource, dialect);
        this.event = table(tables.eventTableName());
        this.lease = table(tables.leaseTableName());
        this.uuidIds = dialect.family() == SQLDialect.POSTGRES || dialect.family() == SQLDialect.H2;
        this.id = uuidIds ? field(name("id"), SQLDataType.UUID.asConvertedDataType(new UuidAsObject()))
                : field(name("id"), SQLDataType.VARCHAR.asConvertedDataType(new StringAsObject()));
    }

    /** What {@code status} prints. */
    public StatusReport status() {
        boolean log = logMode();
        Condition unpublished = unpublished(log);
        Record r = sql.select(
                        count().filterWhere(unpublished),
                        count().filterWhere(status.eq(PARKED)),
                        min(createdAt).filterWhere(unpublished),
                        currentTimestamp())
                .from(event).where(unpublished.or(status.eq(PARKED))).fetchOne();
        long backlog = r.get(0, Long.class);
        long parked = r.get(1, Long.class);
        Timestamp oldest = r.get(2, Timestamp.class);
        Timestamp now = r.get(3, Timestamp.class);
        Double age = oldest == null ? null : Math.max(0, now.getTime() - oldest.getTime()) / 1000.0;

        List<StatusReport.Owner> owners = new ArrayList<>();
        sql.select(owner, count(), max(epoch)).from(lease)
                .where(leaseName.like(SHARD_PREFIX + "%")).and(owner.isNotNull()).and(expiresAt.gt(currentTimestamp()))
                .groupBy(owner).orderBy(owner)
                .forEach(o -> owners.add(new StatusReport.Owner(o.value1(), o.value2(), o.value3())));
        // Membership rows are instances, not jobs (regression: status showed them as "job member-<id>" lines).
        List<StatusReport.Instance> instances = new ArrayList<>();
        sql.select(owner, expiresAt).from(lease)
                .where(leaseName.like(MEMBER_PREFIX + "%")).and(owner.isNotNull()).and(expiresAt.gt(currentTimestamp()))
                .orderBy(owner)
                .forEach(m -> instances.add(new StatusReport.Instance(m.value1(), m.value2().toInstant().toString())));
        List<StatusReport.Job> jobs = new ArrayList<>();
        sql.select(leaseName, owner, expiresAt, DSL.field(expiresAt.gt(currentTimestamp())))
                .from(lease).where(leaseName.notLike(SHARD_PREFIX + "%")).and(leaseName.notLike(MEMBER_PREFIX + "%"))
                .and(leaseName.ne(POLLING_MODE_ROW))
                .orderBy(leaseName)
                .forEach(j -> jobs.add(new StatusReport.Job(j.value1(),
                        Boolean.TRUE.equals(j.value4()) ? j.value2() : null,
                        j.value3() == null ? null : j.value3().toInstant().toString())));
        List<StatusReport.TopicCount> topics = new ArrayList<>();
        sql.select(topic, aggregateType, type, status, count()).from(event).where(unpublished.or(status.eq(PARKED)))
                .groupBy(topic, aggregateType, type, status)
                .forEach(t -> topics.add(new StatusReport.TopicCount(t.value1(), t.value2(), t.value3(), t.value4(),
                        t.value5())));
        return new StatusReport(backlog, parked, age, instances, owners, jobs, topics, log ? "log" : "mark",
                log ? horizonBlockers() : List.of());
    }

    /** Parked events matching {@code filter}, oldest first, at most {@code limit}. */
    public List<ParkedEvent> parked(EventFilter filter, int limit) {
        List<ParkedEvent> out = new ArrayList<>();
        sql.select(id, aggregateType, aggregateId, type, topic, createdAt, attempts, lastError).from(event)
                .where(status.eq(PARKED)).and(conditions(filter)).orderBy(seq).limit(limit)
                .forEach(r -> out.add(new ParkedEvent(String.valueOf(r.value1()), r.value2(), r.value3(), r.value4(),
                        r.value5(), r.value6().toInstant(), r.value7(), r.value8())));
        return out;
    }

    /** Makes parked events matching {@code filter} pending again (attempts reset); returns how many. */
    public int retryParked(EventFilter filter) {
        if (logMode()) {
            // log mode parked the events held back behind a parked one ("held back: ..."): they go again
            // with it, in their order, as mark mode's held-back PENDING rows would
            Condition chosen = status.eq(PARKED).and(conditions(filter));
            Condition held = status.eq(PARKED).and(lastError.startsWith("held back:"))
                    .and(DSL.row(aggregateType, aggregateId).in(DSL.select(aggregateType, aggregateId).from(event)
                            .where(chosen)));
            return reinsert(chosen.or(held));
        }
        if (reinsert) {
            return reinsert(status.eq(PARKED).and(conditions(filter)));
        }
        return sql.update(event).set(status, PENDING).set(attempts, 0).set(nextAttemptAt, (Timestamp) null)
                .where(status.eq(PARKED)).and(conditions(filter)).execute();
    }

    /**
     * Deletes the rows matching {@code condition} and inserts them again as new PENDING rows with the
     * same id, type, key, payload, headers and topic, created now, in one transaction; returns how many.
     */
    private int reinsert(Condition condition) {
        return sql.transactionResult(cfg -> {
            DSLContext tx = cfg.dsl();
            var rows = tx.select(id, aggregateType, aggregateId, type, payload, headers, topic, createdAt).from(event)
                    .where(condition).orderBy(seq).forUpdate().fetch();
            if (rows.isEmpty()) {
                return 0;
            }
            List<Object> ids = rows.getValues(id);
            Timestamp now = tx.select(DSL.currentTimestamp()).fetchOne(0, Timestamp.class);
            tx.deleteFrom(event).where(id.in(ids)).execute();
            var insert = tx.insertInto(event, id, aggregateType, aggregateId, type, payload, headers, topic, createdAt);
            for (var r : rows) {
                List<Object> values = new ArrayList<>(r.intoList());
                values.set(values.size() - 1, now);   // the replay's own time base, as in requeue
                insert = insert.values(values);
            }
            insert.execute();
            return rows.size();
        });
    }

    /** Deletes parked events matching {@code filter}; returns how many. */
    public int dropParked(EventFilter filter) {
        return sql.deleteFrom(event).where(status.eq(PARKED)).and(conditions(filter)).execute();
    }

    /** Ids and sequence numbers of published events matching {@code filter} after {@code afterSeq}, in order. */
    public List<Object[]> published(EventFilter filter, long afterSeq, long upToSeq, int limit) {
        List<Object[]> out = new ArrayList<>();
        sql.select(seq, id).from(event).where(published(logMode())).and(seq.gt(afterSeq)).and(seq.le(upToSeq))
                .and(conditions(filter)).orderBy(seq).limit(limit).forEach(r -> out.add(new Object[] {r.value1(), r.value2()}));
        return out;
    }

    /**
     * The highest {@code seq} of the published events matching {@code filter} now, or
     * {@link Long#MIN_VALUE} when none: a replay pages up to it only. Log mode's replay inserts the
     * rows again with new, higher sequence numbers; once published they match the filter again, and
     * a replay paging without this bound sent them a second time (regression: 15 of 10 events).
     */
    public long maxPublishedSeq(EventFilter filter) {
        Long max = sql.select(DSL.max(seq)).from(event).where(published(logMode())).and(conditions(filter))
                .fetchOne(0, Long.class);
        return max == null ? Long.MIN_VALUE : max;
    }

    /** Counts published events matching {@code filter}. */
    public long countPublished(EventFilter filter) {
        return sql.selectCount().from(event).where(published(logMode())).and(conditions(filter)).fetchOne(0, Long.class);
    }

    /** Makes the given published events pending again so the relay publishes them once more; returns how many. */
    public int requeue(List<Object> ids) {
        if (ids.isEmpty()) {
            return 0;
        }
        boolean log = logMode();
        if (reinsert || log) {
            return reinsert(published(log).and(id.in(ids)));
        }
        // created_at becomes the time of the replay: the replayed events get their own time base, so
        // that the oldest-unpublished age and outbox.commit.to.ack measure the replay, not the age of
        // the original events (regression, issue 11 item 7: replaying old events turned /health/ready
        // to 503 and distorted the latency)
        return sql.update(event).set(status, PENDING).set(publishedAt, (Timestamp) null).set(attempts, 0)
                .set(nextAttemptAt, (Timestamp) null).set(createdAt, DSL.currentTimestamp())
                .where(status.eq(PUBLISHED)).and(id.in(ids)).execute();
    }

    /** How many of the given events are not published (yet). */
    public long countUnpublished(List<Object> ids) {
        if (ids.isEmpty()) {
            return 0;
        }
        return sql.selectCount().from(event).where(DSL.not(published(logMode()))).and(id.in(ids)).fetchOne(0, Long.class);
    }

    /**
     * Whether the table runs the relay's log mode (the lease table's {@code polling-mode} row says
     * so): published rows then stay PENDING, behind their shard's position.
     */
    private boolean logMode() {
        if (!uuidIds || sql.dialect().family() != SQLDialect.POSTGRES) {
            return false;
        }
        return "log".equals(sql.select(owner).from(lease).where(leaseName.eq(POLLING_MODE_ROW)).fetchOne(owner));
    }

    /** The position of a row's shard (log mode), -1 when the shard has none. */
    private Field<Long> shardPosition() {
        Field<Long> position = field(name("position"), Long.class);
        Table<?> l = lease.as("pos_lease");
        return DSL.coalesce(DSL.field(DSL.select(position).from(l)
                .where(field(name("pos_lease", "name"), String.class).eq(DSL.concat(DSL.inline(SHARD_PREFIX),
                        field(name("shard"), Integer.class).cast(String.class))))), DSL.inline(-1L));
    }

    /** A published row: PUBLISHED, or in log mode PENDING at or behind its shard's position. */
    private Condition published(boolean log) {
        return log ? status.eq(PUBLISHED).or(status.eq(PENDING).and(seq.le(shardPosition()))) : status.eq(PUBLISHED);
    }

    /** A row not published yet: PENDING, and in log mode above its shard's position. */
    private Condition unpublished(boolean log) {
        return log ? status.eq(PENDING).and(seq.gt(shardPosition())) : status.eq(PENDING);
    }

    /** What holds log mode's horizon back now: transactions with an xid running longer than a second. */
    private List<Map<String, Object>> horizonBlockers() {
        return sql.connectionResult(c -> {
            try {
                List<Map<String, Object>> out = new ArrayList<>();
                dev.letterbox.relay.internal.HorizonBlockers.find(c, java.time.Duration.ofSeconds(1))
                        .forEach(b -> out.add(b.asMap()));
                return out;
            } catch (java.sql.SQLException e) {
                throw new org.jooq.exception.DataAccessException("reading what holds the horizon back", e);
            }
        });
    }

    private Condition conditions(EventFilter f) {
        Condition c = noCondition();
        if (!f.ids().isEmpty()) {
            List<Object> ids = new ArrayList<>();
            for (UUID u : f.ids()) {
                ids.add(uuidIds ? u : u.toString());
            }
            c = c.and(id.in(ids));
        }
        if (f.aggregateType() != null) {
            c = c.and(aggregateType.eq(f.aggregateType()));
        }
        if (f.aggregateId() != null) {
            c = c.and(aggregateId.eq(f.aggregateId()));
        }
        if (f.from() != null) {
            c = c.and(createdAt.ge(Timestamp.from(f.from())));
        }
        if (f.to() != null) {
            c = c.and(createdAt.lt(Timestamp.from(f.to())));
        }
        return c;
    }

    /** Lets ids of either column type travel as plain objects. */
    private static final class UuidAsObject extends org.jooq.impl.AbstractConverter<UUID, Object> {
        UuidAsObject() {
            super(UUID.class, Object.class);
        }

        @Override
        public Object from(UUID u) {
            return u;
        }

        @Override
        public UUID to(Object o) {
            return o == null ? null : o instanceof UUID u ? u : UUID.fromString(o.toString());
        }
    }

    /** Lets ids of either column type travel as plain objects. */
    private static final class StringAsObject extends org.jooq.impl.AbstractConverter<String, Object> {
        StringAsObject() {
            super(String.class, Object.class);
        }

        @Override
        public Object from(String s) {
            return s;
        }

        @Override
        public String to(Object o) {
            return o == null ? null : o.toString();
        }
    }
}
