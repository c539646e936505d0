package dev.letterbox.testsupport.internal;

import java.util.function.Supplier;

/**
 * A value computed once, on first {@link #get()}; a failure is remembered and rethrown, so a server
 * that could not start is not started again by every test.
 *
 * <p>Thread-safe.
 *
 * @param <T> the value's type
 */
public final class Lazy<T> {

    private final Supplier<T> supplier;
    private T value;
    private RuntimeException failure;
    private boolean done;

    private Lazy(Supplier<T> supplier) {
        this.supplier = supplier;
    }

    /** Returns a lazy value computed by {@code supplier}. */
    public static <T> Lazy<T> of(Supplier<T> supplier) {
        return new Lazy<>(supplier);
    }

    /** Returns the value, computing it on the first call; later calls report the first call's failure. */
    public synchronized T get() {
        if (!done) {
            done = true;
            try {
                value = supplier.get();
            } catch (RuntimeException e) {
                failure = e;
                throw e;
            }
        }
        if (failure != null) {
            throw new IllegalStateException("Test server failed to start earlier in this JVM: " + failure.getMessage(),
                    failure);
        }
        return value;
    }
}
