package com.acme.billing.platform;

/**
 * An input that cannot be used at all (SPEC 1: exit 2, nothing written). The message names the file
 * and the line or key, and the reason.
 */
public class InputRefusedException extends RuntimeException {

    public InputRefusedException(String message) {
        super(message);
    }

    public InputRefusedException(String message, Throwable cause) {
        super(message, cause);
    }
}
