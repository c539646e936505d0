package dev.letterbox.relay.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Which instance {@code balance: packed} makes the active one, as every instance computes it from the lease rows. */
class PackedBalanceTest {

    private static List<LeaseStore.Row> shards(String owner, int from, int to, boolean live) {
        List<LeaseStore.Row> rows = new ArrayList<>();
        for (int s = from; s < to; s++) {
            rows.add(new LeaseStore.Row(LeaseStore.shardName(s), owner, 1, live));
        }
        return rows;
    }

    @Test
    void whileNobodyHoldsAShardTheLiveMemberWithTheSmallestIdTakesThemAll() {
        List<LeaseStore.Row> rows = shards(null, 0, 64, false);
        Set<String> live = Set.of("relay-b", "relay-a", "relay-c");
        assertThat(ShardLeases.packedTarget("relay-a", live, rows)).isEqualTo(64);
        assertThat(ShardLeases.packedTarget("relay-b", live, rows)).isZero();
        assertThat(ShardLeases.packedTarget("relay-c", live, rows)).isZero();
    }

    @Test
    void theInstanceHoldingShardsStaysActiveWhenOneWithASmallerIdJoins() {
        List<LeaseStore.Row> rows = shards("relay-z", 0, 64, true);
        Set<String> live = Set.of("relay-z", "relay-a");
        assertThat(ShardLeases.packedTarget("relay-z", live, rows)).isEqualTo(64);
        assertThat(ShardLeases.packedTarget("relay-a", live, rows)).isZero();
    }

    @Test
    void instancesThatRacedForFreeShardsAgreeOnTheOneHoldingMostThenTheSmallerId() {
        List<LeaseStore.Row> rows = shards("relay-b", 0, 40, true);
        rows.addAll(shards("relay-a", 40, 64, true));
        Set<String> live = Set.of("relay-a", "relay-b");
        assertThat(ShardLeases.packedTarget("relay-b", live, rows)).isEqualTo(64);
        assertThat(ShardLeases.packedTarget("relay-a", live, rows)).isZero();

        List<LeaseStore.Row> tie = shards("relay-b", 0, 32, true);
        tie.addAll(shards("relay-a", 32, 64, true));
        assertThat(ShardLeases.packedTarget("relay-a", live, tie)).isEqualTo(64);
        assertThat(ShardLeases.packedTarget("relay-b", live, tie)).isZero();
    }

    @Test
    void expiredLeasesOfADeadInstanceDoNotKeepItActive() {
        List<LeaseStore.Row> rows = shards("relay-a", 0, 64, false);
        Set<String> live = Set.of("relay-c", "relay-b");
        assertThat(ShardLeases.packedTarget("relay-b", live, rows)).isEqualTo(64);
        assertThat(ShardLeases.packedTarget("relay-c", live, rows)).isZero();
    }
}
