package dev.letterbox.testsupport;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs the annotated test class only when {@link MariaDbServer#shared()} has a server; otherwise
 * every test of the class is reported as skipped, with the reason and how to provide a server.
 * (An abort in {@code @BeforeAll} alone makes the runner report no test at all.)
 *
 * <pre>{@code
 * @RequiresMariaDb
 * class MariaDbOutboxIT extends AbstractOutboxAcceptanceIT { ... }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@ExtendWith(MariaDbCondition.class)
public @interface RequiresMariaDb {
}
