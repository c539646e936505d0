package dev.letterbox.testsupport;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/** The condition behind {@link RequiresMariaDb}; stateless and thread-safe. */
public final class MariaDbCondition implements ExecutionCondition {

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        return MariaDbServer.shared().isPresent()
                ? ConditionEvaluationResult.enabled("MariaDB available")
                : ConditionEvaluationResult.disabled(MariaDbServer.UNAVAILABLE);
    }
}
