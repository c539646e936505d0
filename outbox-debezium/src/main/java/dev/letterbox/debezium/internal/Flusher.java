package dev.letterbox.debezium.internal;

import dev.letterbox.relay.spi.EventPublisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Flushes the producer on its own daemon thread as soon as a batch has been handed to it, so the
 * records go to the broker at once instead of after {@code linger.ms}, while the engine thread
 * waits on the acks and still sees a stop request. Requests made while a flush runs are coalesced
 * into the next one (the producer sends new records at once while a flush is in progress anyway).
 * Thread-safe; {@link #close()} is idempotent.
 */
final class Flusher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Flusher.class);

    private final EventPublisher publisher;
    private final Thread thread;
    private boolean requested; // guarded by this
    private boolean closed; // guarded by this

    /** Starts the thread {@code threadName}; the publisher stays the caller's. */
    Flusher(EventPublisher publisher, String threadName) {
        this.publisher = publisher;
        this.thread = new Thread(this::run, threadName);
        thread.setDaemon(true);
        thread.start();
    }

    /** Asks for a flush of everything sent so far; returns at once. */
    synchronized void request() {
        requested = true;
        notifyAll();
    }

    private void run() {
        while (true) {
            synchronized (this) {
                while (!requested && !closed) {
                    try {
                        wait();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
                if (closed) {
                    return;
                }
                requested = false;
            }
            try {
                publisher.flush();
            } catch (RuntimeException e) {
                // the acks tell the batch what happened; a closed producer ends up here during shutdown
                LOG.atDebug().addKeyValue("error", e.toString()).log("producer flush failed");
            }
        }
    }

    /** Stops the thread (an ongoing flush finishes by itself, within the producer's delivery timeout). */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            notifyAll();
        }
    }
}
