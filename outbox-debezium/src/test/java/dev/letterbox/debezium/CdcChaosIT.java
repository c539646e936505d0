package dev.letterbox.debezium;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.letterbox.outbox.OutboxEvent;
import dev.letterbox.testsupport.EmbeddedKafkaBroker;
import dev.letterbox.testsupport.EmbeddedPostgresServer;
import dev.letterbox.testsupport.KafkaServer;
import dev.letterbox.testsupport.PostgresServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The CDC service under faults (issue 10): an active and a standby service process (the packaged
 * jar) on a private PostgreSQL and a private broker, a steady load of 20-event transactions written
 * by plain SQL, and rounds of faults on the active instance and the servers, in turn: SIGSTOP for
 * longer than the lease, SIGKILL (a new process replaces it), a broker restart and a PostgreSQL
 * restart. At the end every committed event is on the topic, and no row is left PENDING: in
 * particular none whose event was published.
 *
 * <p>CI runs two rounds (SIGSTOP, then a PostgreSQL restart; about 2-3 minutes on a busy 2-core
 * box, most of it starting the service JVMs); {@code -Dletterbox.chaos.rounds=N} runs N rounds, the
 * four faults in turn, for example {@code ./mvnw -pl outbox-debezium verify -Dit.test=CdcChaosIT
 * -Dletterbox.chaos.rounds=16}. Figures are logged ({@code chaos result}).
 */
class CdcChaosIT {

    private static final Logger LOG = LoggerFactory.getLogger(CdcChaosIT.class);
    private static final Duration ARRIVAL = Duration.ofSeconds(120);
    private static final String[] FAULTS = {"sigstop", "database-restart", "sigkill", "broker-restart"};

    private final int rounds = Integer.getInteger("letterbox.chaos.rounds", 2);
    private final List<CdcServiceProcess> services = new ArrayList<>();
    private int started;

    @Test
    void noPublishedRowStaysPendingUnderFreezesKillsAndRestarts() throws Exception {
        Path dir = Files.createDirectories(Path.of("target", "cdc-chaos", Long.toString(System.currentTimeMillis())));
        int pgPort = freePort();
        int kafkaPort = freePort();
        EmbeddedPostgresServer pg = PostgresServer.startEmbedded(dir.resolve("pg"), pgPort);
        EmbeddedKafkaBroker broker = KafkaServer.startEmbedded(dir.resolve("kafka"), kafkaPort);
        CdcFixture f = new CdcFixture(pg.createDatabase("chaos"), broker);
        LoadWriter load = null;
        int kills = 0;
        List<String> roundFaults = new ArrayList<>();
        List<Long> roundStarts = new ArrayList<>();
        try {
            start(f, dir);
            f.awaitEngineReady();
            start(f, dir);
            load = new LoadWriter(f, 20, 8, Duration.ofMillis(40), true);
            awaitMore(f, 1000);
            for (int round = 0; round < rounds; round++) {
                String fault = FAULTS[round % FAULTS.length];
                awaitStandbyUp();
                CdcServiceProcess active = active(f);
                LOG.info("chaos round {}: {} (active {})", round, fault, active);
                roundFaults.add(fault);
                roundStarts.add(System.currentTimeMillis());
                switch (fault) {
                    case "sigstop" -> {
                        active.freeze();
                        // longer than the lease: the standby takes over while the frozen one holds the slot
                        awaitLeaseOwnerOtherThan(f, active, CdcFixture.LEASE_TTL.multipliedBy(10));
                        await().pollDelay(CdcFixture.LEASE_TTL).atMost(CdcFixture.LEASE_TTL.multipliedBy(2)).until(() -> true);
                        active.resume();
                    }
                    case "sigkill" -> {
                        active.kill();
                        kills++;
                        services.remove(active);
                        start(f, dir);
                    }
                    case "broker-restart" -> {
                        broker.close();
                        broker = KafkaServer.startEmbedded(dir.resolve("kafka"), kafkaPort);
                    }
                    default -> {
                        stop(pg, pgPort);
                        pg = PostgresServer.startEmbedded(dir.resolve("pg"), pgPort);
                    }
                }
                awaitMore(f, 1000);
            }
            load.close();
            List<OutboxEvent> committed = load.committed();
            Set<String> rows = rowIds(f);
            await().atMost(ARRIVAL).until(() -> f.receivedIds().containsAll(rows));
            await().atMost(ARRIVAL).until(() -> f.count("SELECT count(*) FROM outbox_event WHERE status = 'PENDING'") == 0);

            Deliveries received = Deliveries.of(f.received());
            assertThat(received.ids()).containsAll(AbstractCdcIT.ids(committed));
            assertThat(rows).containsAll(received.ids());
            LOG.info("chaos result: rounds={} kills={} rows={} committed={} failedTransactions={} received={}"
                            + " duplicated={} duplicatedPct={}", rounds, kills, rows.size(), committed.size(),
                    load.failedTransactions(), f.received().size(), received.duplicated().size(),
                    String.format("%.2f", 100.0 * received.duplicated().size() / rows.size()));
            logDuplicatesPerRound(received, roundFaults, roundStarts);
        } catch (AssertionError | RuntimeException e) {
            for (CdcServiceProcess s : services) {
                LOG.error("service output {}:\n{}", s, s.output());
            }
            throw e;
        } finally {
            if (load != null) {
                load.close();
            }
            services.forEach(CdcServiceProcess::close);
            f.close();
            broker.close();
            pg.close();
        }
    }

    /**
     * Where the duplicates came from: each copy after an event's first is counted in the round
     * whose fault came last before the copy was sent (the producer's timestamp), with how far back
     * before that fault the first copies of the events it re-sent had been sent.
     */
    private static void logDuplicatesPerRound(Deliveries received, List<String> faults, List<Long> starts) {
        int[] copies = new int[faults.size() + 1];
        long[] earliestFirst = new long[faults.size() + 1];
        java.util.Arrays.fill(earliestFirst, Long.MAX_VALUE);
        for (String id : received.duplicated()) {
            List<org.apache.kafka.clients.consumer.ConsumerRecord<byte[], byte[]>> c = received.copies(id);
            for (int i = 1; i < c.size(); i++) {
                int round = 0;
                while (round < starts.size() && starts.get(round) <= c.get(i).timestamp()) {
                    round++;
                }
                copies[round]++;
                earliestFirst[round] = Math.min(earliestFirst[round], c.get(0).timestamp());
            }
        }
        for (int r = 0; r <= faults.size(); r++) {
            String fault = r == 0 ? "(before the first fault)" : faults.get(r - 1);
            String back = r == 0 || copies[r] == 0 ? "-" : (starts.get(r - 1) - earliestFirst[r]) + " ms";
            LOG.info("chaos duplicates: round={} fault={} extraCopies={} firstCopiesFromBeforeTheFault={}",
                    r - 1, fault, copies[r], back);
        }
    }

    private void start(CdcFixture f, Path dir) {
        String id = "cdc-chaos-" + (++started);
        services.add(CdcServiceProcess.start(CdcServiceProcess.writeConfig(dir, id, f.db.jdbcUrl(), f.db.username(),
                f.db.password(), f.kafka.bootstrapServers(), f.extraProperties), id));
    }

    /** Waits until every service process runs its strategy (a JVM takes 10 s or more to start on a busy box). */
    private void awaitStandbyUp() {
        for (CdcServiceProcess s : services) {
            await().atMost(ARRIVAL).failFast(() -> !s.isAlive()).until(() -> s.logged("cdc strategy starting"));
        }
    }

    /** The service process holding the cdc lease (waits until one does). */
    private CdcServiceProcess active(CdcFixture f) {
        String[] owner = new String[1];
        await().atMost(ARRIVAL).until(() -> {
            owner[0] = leaseOwner(f);
            return owner[0] != null && services.stream().anyMatch(s -> s.instanceId().equals(owner[0]));
        });
        return services.stream().filter(s -> s.instanceId().equals(owner[0])).findFirst().orElseThrow();
    }

    private void awaitLeaseOwnerOtherThan(CdcFixture f, CdcServiceProcess frozen, Duration atMost) {
        await().atMost(atMost).ignoreExceptions().until(() -> {
            String owner = leaseOwner(f);
            return owner != null && !owner.equals(frozen.instanceId());
        });
    }

    private static String leaseOwner(CdcFixture f) throws SQLException {
        try (Connection c = f.db.openConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT owner FROM outbox_lease WHERE name = 'cdc' AND expires_at > now()")) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    /** Waits until {@code n} more distinct events arrived: the stream runs again after a fault. */
    private static void awaitMore(CdcFixture f, int n) {
        int before = f.receivedIds().size();
        await().atMost(ARRIVAL).until(() -> f.receivedIds().size() >= before + n);
    }

    private static Set<String> rowIds(CdcFixture f) throws SQLException {
        Set<String> ids = new HashSet<>();
        try (Connection c = f.db.openConnection(); PreparedStatement ps = c.prepareStatement("SELECT id::text FROM outbox_event");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                ids.add(rs.getString(1));
            }
        }
        return ids;
    }

    /**
     * Stops the server; pg_ctl's own wait (5 s) can run out while the WAL senders finish, the
     * server then goes down a little later: wait until its port refuses connections.
     */
    private static void stop(EmbeddedPostgresServer pg, int port) {
        try {
            pg.close();
        } catch (IllegalStateException e) {
            LOG.warn("pg_ctl stop did not confirm in time, waiting for the port to close: {}", e.getMessage());
        }
        await().atMost(ARRIVAL).until(() -> {
            try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
                return false;
            } catch (IOException refused) {
                return true;
            }
        });
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
