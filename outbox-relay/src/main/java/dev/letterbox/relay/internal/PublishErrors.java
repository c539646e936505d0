package dev.letterbox.relay.internal;

import dev.letterbox.relay.PermanentPublishException;
import dev.letterbox.relay.PublishException;
import dev.letterbox.relay.RetriablePublishException;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.UnsupportedForMessageFormatException;

/** Classifies a Kafka client error into a retriable or permanent {@link PublishException}; stateless. */
final class PublishErrors {

    private PublishErrors() {
    }

    static PublishException classify(Throwable error, UUID eventId, String topic) {
        Throwable e = error;
        while ((e instanceof ExecutionException || e instanceof CompletionException) && e.getCause() != null) {
            e = e.getCause();
        }
        if (e instanceof PublishException p) {
            return p;
        }
        String what = e.getClass().getSimpleName() + ": " + e.getMessage();
        if (isPermanent(e)) {
            // whether the event is parked depends on its attempts: the poller says so (regression: attempts
            // 1 and 2 of a refused event logged "the event is parked, fix it" with parked=false)
            return new PermanentPublishException("Kafka refused event " + eventId + " for topic '" + topic + "' (" + what
                    + "); it will not be accepted as it is", eventId, topic, e);
        }
        if (e instanceof org.apache.kafka.common.errors.TimeoutException
                && String.valueOf(e.getMessage()).contains("not present in metadata")) {
            // regression (issue 11, item 14): during a broker outage every poller logged "Topic ... not
            // present in metadata", which reads like a missing topic
            return new RetriablePublishException("event " + eventId + " for topic '" + topic + "' was not sent: the"
                    + " Kafka brokers did not answer within max.block.ms, they are unreachable (or, if they are up, the"
                    + " topic does not exist and automatic topic creation is off) (" + what + "); it stays unpublished"
                    + " and is sent again after a backoff", eventId, topic, e);
        }
        return new RetriablePublishException("event " + eventId + " for topic '" + topic + "' was not acknowledged (" + what
                + "); it stays unpublished and is sent again after a backoff", eventId, topic, e);
    }

    /** Errors that sending the same record again cannot fix. Anything unknown counts as retriable: never park by guess. */
    static boolean isPermanent(Throwable e) {
        if (e instanceof RetriableException) {
            return false;
        }
        return e instanceof RecordTooLargeException
                || e instanceof RecordBatchTooLargeException
                || e instanceof InvalidTopicException
                || e instanceof AuthorizationException
                || e instanceof SerializationException
                || e instanceof InvalidRecordException
                || e instanceof UnsupportedForMessageFormatException;
    }
}
