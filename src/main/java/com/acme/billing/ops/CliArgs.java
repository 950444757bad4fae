package com.acme.billing.ops;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The command line: a command, its positional arguments, flags with values and switches. */
public record CliArgs(String command, List<String> positional, Map<String, String> options, Set<String> switches) {

    /** Flags that take a value (given as {@code --name value} or {@code --name=value}). */
    static final Set<String> VALUED = Set.of("period", "user", "out", "since", "port", "home", "db-url", "db-user", "db-password", "now");
    static final Set<String> SWITCHES = Set.of("json", "dry-run", "inbox", "failed", "help");

    public static CliArgs parse(String... args) {
        String command = null;
        List<String> positional = new ArrayList<>();
        Map<String, String> options = new HashMap<>();
        Set<String> switches = new HashSet<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.startsWith("--")) {
                String name = arg.substring(2);
                String value = null;
                int eq = name.indexOf('=');
                if (eq >= 0) {
                    value = name.substring(eq + 1);
                    name = name.substring(0, eq);
                }
                if (VALUED.contains(name)) {
                    if (value == null) {
                        if (i + 1 >= args.length) {
                            throw new BadInvocationException("--" + name + " needs a value");
                        }
                        value = args[++i];
                    }
                    options.put(name, value);
                } else if (SWITCHES.contains(name) && value == null) {
                    switches.add(name);
                } else {
                    throw new BadInvocationException("unknown option --" + name);
                }
            } else if (arg.equals("-h")) {
                switches.add("help");
            } else if (command == null) {
                command = arg;
            } else {
                positional.add(arg);
            }
        }
        return new CliArgs(command, positional, options, switches);
    }

    public boolean has(String flag) {
        return switches.contains(flag);
    }

    public String option(String name) {
        return options.get(name);
    }

    public String required(String name) {
        String value = options.get(name);
        if (value == null) {
            throw new BadInvocationException(command + " needs --" + name);
        }
        return value;
    }
}
