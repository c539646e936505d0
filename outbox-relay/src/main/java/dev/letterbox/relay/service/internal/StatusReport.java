package dev.letterbox.relay.service.internal;

import java.util.List;

/**
 * What {@code status} reports about an outbox.
 *
 * <p>Immutable and thread-safe.
 *
 * @param backlog                     unpublished (PENDING) events
 * @param parked                      parked events
 * @param oldestUnpublishedAgeSeconds age of the oldest unpublished event, or null when there is none
 * @param instances                   live polling instances, from their membership lease rows
 * @param shardOwners                 live owners of shard leases and how many shards each holds
 * @param jobs                        singleton leases (cleanup, cdc) and their live owner, if any
 * @param topics                      pending and parked counts per topic, aggregate type, event type
 * @param mode                        the polling mode in force: {@code log} (published rows stay PENDING
 *                                    behind their shard's position) or {@code mark}
 * @param horizonBlockers             log mode: transactions with an xid running longer than a second (pid,
 *                                    database, application, transactionStart, xidAge, state), which hold the
 *                                    commit horizon back; empty in mark mode
 */
public record StatusReport(long backlog, long parked, Double oldestUnpublishedAgeSeconds, List<Instance> instances,
                           List<Owner> shardOwners, List<Job> jobs, List<TopicCount> topics, String mode,
                           List<java.util.Map<String, Object>> horizonBlockers) {

    /** A live polling instance: its id and when its membership row expires unless renewed (ISO-8601). */
    public record Instance(String instanceId, String expiresAt) {
    }

    /** A live shard owner: its instance id, number of shards held and highest epoch. */
    public record Owner(String instanceId, int shards, long maxEpoch) {
    }

    /** A singleton lease: its name, its live owner (null when free) and expiry (ISO-8601, or null). */
    public record Job(String name, String owner, String expiresAt) {
    }

    /** Events of one topic override (null for the template), aggregate type, event type and status. */
    public record TopicCount(String topic, String aggregateType, String type, String status, int count) {
    }

    /** Shards held by some live instance. */
    public int ownedShards() {
        return shardOwners.stream().mapToInt(Owner::shards).sum();
    }
}
