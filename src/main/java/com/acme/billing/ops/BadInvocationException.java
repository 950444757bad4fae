package com.acme.billing.ops;

/** A command line that cannot be run (unknown command, missing or malformed flag): exit 2. */
public class BadInvocationException extends RuntimeException {

    public BadInvocationException(String message) {
        super(message);
    }
}
