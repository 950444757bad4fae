package com.acme.billing.cli;

import org.springframework.context.ConfigurableApplicationContext;

/** What a running command has: the application's services and the console it prints on. */
record CommandContext(ConfigurableApplicationContext spring, Console console) {

    <T> T bean(Class<T> type) {
        return spring.getBean(type);
    }
}
