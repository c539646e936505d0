package dev.letterbox.relay.service.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DurationsTest {

    /** Regression (issue 11, item 10): status printed ages as {@code 183605.3 s}. */
    @ParameterizedTest
    @CsvSource({"6.7, 6.7 s", "0, 0.0 s", "725, 12m 5s", "18180, 5h 3m", "183605.3, 2d 3h"})
    void printsAgesInTheTwoLargestUnits(double seconds, String shown) {
        assertThat(Durations.human(seconds)).isEqualTo(shown);
    }
}
