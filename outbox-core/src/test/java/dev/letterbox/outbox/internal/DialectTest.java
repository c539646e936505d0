package dev.letterbox.outbox.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import org.junit.jupiter.api.Test;

class DialectTest {

  /**
   * Regression: H2 reports a missing table in a database that holds no table at all with SQL state
   * 42S04 (vendor code 42104), which was not recognised, so {@code migrate} and {@code status} on a
   * new, empty H2 database failed instead of seeing schema version 0.
   */
  @Test
  void recognisesAMissingTableInAnEmptyH2Database() {
    assertThat(Dialect.isUndefinedTable(new SQLException("Table \"outbox_schema_version\" not found (this database"
        + " is empty)", "42S04", 42104))).isTrue();
  }

  @Test
  void recognisesAMissingTableOnEachDatabase() {
    assertThat(Dialect.isUndefinedTable(new SQLException("relation does not exist", "42P01"))).isTrue();
    assertThat(Dialect.isUndefinedTable(new SQLException("Table 'app.x' doesn't exist", "42S02", 1146))).isTrue();
    assertThat(Dialect.isUndefinedTable(new SQLException("Table \"x\" not found", "42S02", 42102))).isTrue();
    assertThat(Dialect.isUndefinedTable(new SQLException("syntax error", "42601"))).isFalse();
  }
}
