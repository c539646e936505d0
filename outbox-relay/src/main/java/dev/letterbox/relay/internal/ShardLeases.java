package dev.letterbox.relay.internal;

import dev.letterbox.relay.RelayMetrics;
import dev.letterbox.relay.spi.Lease;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.IntPredicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This instance's share of the 64 shard leases: each cycle (every TTL/3) it renews what it holds,
 * counts live instances from their membership rows, takes free or expired shards up to its target,
 * and gives surplus shards back once no poller is in a batch on them. The target is
 * {@code ceil(64 / live)} ({@code balance: spread}), or with {@code balance: packed} all 64 for one
 * instance and none for the others (see {@link #packedTarget}). Cycles run on one thread;
 * {@link #owned} may be read from any thread.
 */
final class ShardLeases {

    private static final Logger LOG = LoggerFactory.getLogger(ShardLeases.class);

    private final Db db;
    private final LeaseStore store;
    private final RelayMetrics metrics;
    private final PollingHooks hooks;
    private final IntPredicate shardBusy;
    private final boolean packed;
    private volatile Map<Integer, Lease> owned = Map.of();
    private final Map<Integer, Lease> toRelease = new HashMap<>();
    /** The epoch this process got for each lease it acquired; a row with our id but another epoch is not ours. */
    private final Map<String, Long> acquiredEpochs = new HashMap<>();
    private boolean rowsEnsured;

    /**
     * @param shardBusy tells whether a poller is inside a batch that may include the shard
     * @param packed    {@code relay.polling.balance: packed}: one instance holds every shard
     */
    ShardLeases(Db db, LeaseStore store, RelayMetrics metrics, PollingHooks hooks, IntPredicate shardBusy,
                boolean packed) {
        this.packed = packed;
        this.db = db;
        this.store = store;
        this.metrics = metrics;
        this.hooks = hooks;
        this.shardBusy = shardBusy;
    }

    /** The shard leases pollers may claim from now, by shard number. */
    Map<Integer, Lease> owned() {
        return owned;
    }

    /**
     * One renewal and rebalancing cycle, in one transaction (an idle relay's cycles were three
     * commits each, a fifth of its database transactions).
     */
    synchronized void cycle() throws SQLException {
        hooks.beforeLeaseCycle();
        db.inTransaction(c -> {
            if (!rowsEnsured) {
                List<String> names = new ArrayList<>(LeaseStore.SHARDS);
                for (int s = 0; s < LeaseStore.SHARDS; s++) {
                    names.add(LeaseStore.shardName(s));
                }
                store.ensureRows(c, names);
                rowsEnsured = true;
            }
            store.heartbeat(c);
            store.renew(c, owned.values());
            releaseIdle(c);
            List<LeaseStore.Row> rows = store.readAll(c);
            List<String> adopt = foreign(rows);
            if (!adopt.isEmpty()) {
                // live leases under our instance id that this process never acquired: an earlier process
                // with the same id (restarted, or still running). Taking them with a new epoch fences that
                // process off; using its epochs would let both mark the same rows (regression)
                LOG.atWarn().addKeyValue("instance", store.instanceId()).addKeyValue("shards", adopt.size())
                        .log("taking over shard leases held under this instance id by another process (a restart"
                                + " reuses the id; two live processes must not share one)");
                store.acquire(c, adopt, true);
                rows = store.readAll(c);
                remember(rows, adopt);
            }
            Map<Integer, Lease> held = held(rows);
            int target = target(rows);
            if (held.size() < target) {
                List<String> free = new ArrayList<>();
                for (LeaseStore.Row r : rows) {
                    int shard = shardOf(r.name());
                    if (shard >= 0 && (r.owner() == null || !r.live()) && !toRelease.containsKey(shard)) {
                        free.add(r.name());
                    }
                }
                Collections.shuffle(free);
                List<String> wanted = free.subList(0, Math.min(free.size(), target - held.size()));
                if (!wanted.isEmpty() && store.acquire(c, wanted, false) > 0) {
                    List<LeaseStore.Row> after = store.readAll(c);
                    remember(after, wanted);
                    held = held(after);
                }
            } else if (held.size() > target) {
                List<Integer> shards = new ArrayList<>(held.keySet());
                shards.sort((a, b) -> Boolean.compare(shardBusy.test(a), shardBusy.test(b)));
                for (int i = 0; i < held.size() - target; i++) {
                    toRelease.put(shards.get(i), held.get(shards.get(i)));
                }
                toRelease.keySet().forEach(held::remove);
            }
            publish(held);
            releaseIdle(c);
            return null;
        });
    }

    private void publish(Map<Integer, Lease> held) {
        Map<Integer, Lease> before = owned;
        owned = Collections.unmodifiableMap(new TreeMap<>(held));
        metrics.shardsOwned(held.size());
        if (!before.keySet().equals(held.keySet())) {
            LOG.atInfo().addKeyValue("instance", store.instanceId()).addKeyValue("owned", held.size())
                    .addKeyValue("shards", held.keySet()).log("shard leases changed");
        }
    }

    /** Gives back surplus leases no poller works on; run after {@link #owned} no longer lists them. */
    private void releaseIdle(Connection c) throws SQLException {
        if (toRelease.isEmpty()) {
            return;
        }
        List<Lease> idle = new ArrayList<>();
        for (Map.Entry<Integer, Lease> e : new ArrayList<>(toRelease.entrySet())) {
            if (!shardBusy.test(e.getKey())) {
                idle.add(e.getValue());
                toRelease.remove(e.getKey());
            }
        }
        store.release(c, idle);
    }

    /** Shard rows live under our instance id with an epoch this process did not get. */
    private List<String> foreign(List<LeaseStore.Row> rows) {
        List<String> names = new ArrayList<>();
        for (LeaseStore.Row r : rows) {
            if (shardOf(r.name()) >= 0 && r.live() && store.instanceId().equals(r.owner())
                    && !Long.valueOf(r.epoch()).equals(acquiredEpochs.get(r.name()))) {
                names.add(r.name());
            }
        }
        return names;
    }

    /** Records the epochs of the named rows this process now owns. */
    private void remember(List<LeaseStore.Row> rows, Collection<String> names) {
        for (LeaseStore.Row r : rows) {
            if (names.contains(r.name()) && r.live() && store.instanceId().equals(r.owner())) {
                acquiredEpochs.put(r.name(), r.epoch());
            }
        }
    }

    private Map<Integer, Lease> held(List<LeaseStore.Row> rows) {
        Map<Integer, Lease> held = new HashMap<>();
        for (LeaseStore.Row r : rows) {
            int shard = shardOf(r.name());
            if (shard >= 0 && r.live() && store.instanceId().equals(r.owner()) && !toRelease.containsKey(shard)
                    && Long.valueOf(r.epoch()).equals(acquiredEpochs.get(r.name()))) {
                held.put(shard, new Lease(r.name(), r.owner(), r.epoch()));
            }
        }
        return held;
    }

    private int target(List<LeaseStore.Row> rows) {
        Set<String> live = new HashSet<>();
        live.add(store.instanceId());
        for (LeaseStore.Row r : rows) {
            if (r.name().startsWith("member-") && r.live() && r.owner() != null) {
                live.add(r.owner());
            }
        }
        if (packed) {
            return packedTarget(store.instanceId(), live, rows);
        }
        return (LeaseStore.SHARDS + live.size() - 1) / live.size();
    }

    /**
     * {@code balance: packed}: every shard for the active instance, none for the others. The active
     * instance is the one holding the most live shard leases (ties: the smaller id), so that it stays
     * active while it lives and a newcomer never takes the shards from it; while nobody holds any (first
     * start, or the active instance's leases expired), the live member with the smallest id. Instances
     * that cycle at the same time therefore agree, and an instance that is not active gives back what it
     * holds (instances that started together and raced for free shards converge within a cycle or two).
     * Safety does not depend on this choice: leases and their epochs decide who may publish a shard.
     */
    static int packedTarget(String me, Set<String> liveMembers, List<LeaseStore.Row> rows) {
        Map<String, Integer> holding = new TreeMap<>();
        for (LeaseStore.Row r : rows) {
            if (shardOf(r.name()) >= 0 && r.live() && r.owner() != null) {
                holding.merge(r.owner(), 1, Integer::sum);
            }
        }
        String active = null;
        int most = 0;
        for (Map.Entry<String, Integer> e : holding.entrySet()) {
            // the TreeMap's order makes the smaller id win a tie
            if (e.getValue() > most) {
                active = e.getKey();
                most = e.getValue();
            }
        }
        if (active == null) {
            active = new TreeSet<>(liveMembers).first();
        }
        return active.equals(me) ? LeaseStore.SHARDS : 0;
    }

    static int shardOf(String name) {
        if (!name.startsWith("shard-")) {
            return -1;
        }
        try {
            int s = Integer.parseInt(name.substring(6));
            return s >= 0 && s < LeaseStore.SHARDS ? s : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Stops claiming and frees every lease and the membership row (clean shutdown). */
    synchronized void releaseAll() throws SQLException {
        List<Lease> all = new ArrayList<>(owned.values());
        all.addAll(toRelease.values());
        owned = Map.of();
        toRelease.clear();
        metrics.shardsOwned(0);
        db.run(c -> {
            store.release(c, all);
            store.leave(c);
            return null;
        });
    }

    /** Forgets every lease without touching the database (after the database was unreachable past the TTL). */
    void dropAll() {
        owned = Map.of();
        metrics.shardsOwned(0);
    }
}
