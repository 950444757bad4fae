package com.acme.billing.audit;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Who did an audited action: a command line (the operating-system user and host that ran {@code jobs/billing}),
 * a person signed in to the console (their e-mail), or an API key (its id and name; never its secret).
 */
public record AuditActor(Kind kind, String name) {

    public static final int MAX_NAME = 320;

    public enum Kind {
        CLI, CONSOLE, API;

        /** As stored and printed: {@code cli}, {@code console}, {@code api}. */
        public String id() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        public static Kind of(String id) {
            return valueOf(id.toUpperCase(java.util.Locale.ROOT));
        }
    }

    public AuditActor {
        if (kind == null) {
            throw new IllegalArgumentException("an audit actor has a kind");
        }
        name = AuditText.field("actor", name, MAX_NAME, true);
    }

    /** The command line run by {@code user} on {@code host}: {@code user@host}. */
    public static AuditActor cli(String user, String host) {
        return new AuditActor(Kind.CLI, (user == null || user.isBlank() ? "unknown" : user) + "@" + (host == null || host.isBlank() ? "unknown" : host));
    }

    /** This process: the operating-system user running it ({@code user.name}) at this host's name. */
    public static AuditActor currentProcess() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "unknown";
        }
        return cli(System.getProperty("user.name"), host);
    }

    /** A person signed in to the console, by the e-mail they signed in with. */
    public static AuditActor console(String email) {
        return new AuditActor(Kind.CONSOLE, email);
    }

    /** An API key: {@code key 3} or {@code key 3 (deploy bot)} with its name. */
    public static AuditActor api(long keyId, String keyName) {
        return new AuditActor(Kind.API, "key " + keyId + (keyName == null || keyName.isBlank() ? "" : " (" + keyName + ")"));
    }

    /** {@code cli:ann@build-1}, as printed in listings and in a launched command's {@code requested_by}. */
    @Override
    public String toString() {
        return kind.id() + ":" + name;
    }
}
