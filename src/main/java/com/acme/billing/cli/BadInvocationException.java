package com.acme.billing.cli;

/** A command line that cannot be run (arguments that picocli's types cannot express): exit 2. */
public class BadInvocationException extends RuntimeException {

    public BadInvocationException(String message) {
        super(message);
    }
}
