package dev.letterbox.testsupport.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class UniqueNamesTest {

    @Test
    void sanitizesAndShortensDatabaseNamesToTheLimit() {
        String name = UniqueNames.unique("My-Test.Class$Inner" + "x".repeat(100), 63);
        assertThat(name).hasSizeLessThanOrEqualTo(63).matches("[a-z][a-z0-9_]*").startsWith("my_test_class_inner");
    }

    @Test
    void makesANameStartWithALetterAndDefaultsABlankHint() {
        assertThat(UniqueNames.unique("1st", 63)).startsWith("t1st_");
        assertThat(UniqueNames.unique(" ", 63)).startsWith("test_");
        assertThat(UniqueNames.unique(null, 63)).startsWith("test_");
    }

    @Test
    void neverRepeatsAName() {
        assertThat(UniqueNames.unique("a", 63)).isNotEqualTo(UniqueNames.unique("a", 63));
        assertThat(UniqueNames.uniqueTopic("a")).isNotEqualTo(UniqueNames.uniqueTopic("a"));
    }

    @Test
    void keepsTopicNamesWithinKafkasRules() {
        String topic = UniqueNames.uniqueTopic("outbox.event.Order Line/" + "y".repeat(300));
        assertThat(topic).hasSizeLessThanOrEqualTo(249).matches("[a-zA-Z0-9._-]+").startsWith("outbox.event.Order_Line_");
    }
}
