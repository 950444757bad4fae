package com.acme.billing.eventstore;

/** The event store failed; the step fails and can be restarted. */
public class EventStoreException extends RuntimeException {

    public EventStoreException(String what, Throwable cause) {
        super("event store: " + what + ": " + cause.getMessage(), cause);
    }
}
