package com.acme.billing.cli;

import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ApplicationListener;
import org.springframework.context.event.ContextClosedEvent;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "serve", header = "HTTP API (keys) and Stripe webhooks, port 8080",
        description = "HTTP: /api (API keys, SPEC 8) and POST /webhooks/stripe (signatures checked with STRIPE_WEBHOOK_SECRET; "
                + "503 without it); runs until stopped.")
final class ServeCommand extends BillingCommand {

    @Option(names = "--port", paramLabel = "N", defaultValue = "8080", description = "the port (0 picks a free one; default ${DEFAULT-VALUE})")
    int port;

    record Result(int port) {
    }

    @Override
    boolean web() {
        return true;
    }

    /** Without STRIPE_WEBHOOK_SECRET serve still runs the API; /webhooks/stripe then answers 503 (SPEC 8). */
    @Override
    void validate(Map<String, String> env) {
        if (port < 0 || port > 65535) {
            throw new BadInvocationException("--port " + port + " is not a port number (0 picks a free one)");
        }
    }

    @Override
    void addSettings(Map<String, Object> settings) {
        settings.put("server.port", Integer.toString(port));
    }

    /** Runs until the process is stopped (SIGTERM, Ctrl-C): Spring closes the context, and this returns. */
    @Override
    int run(CommandContext context) throws InterruptedException {
        int listening = ((WebServerApplicationContext) context.spring()).getWebServer().getPort();
        CountDownLatch closed = new CountDownLatch(1);
        context.spring().addApplicationListener((ApplicationListener<ContextClosedEvent>) event -> closed.countDown());
        context.console().say("serving on port %d: /api (Authorization: Bearer <key>), POST /webhooks/stripe; stop with Ctrl-C or SIGTERM",
                listening);
        context.console().done(new Result(listening));
        closed.await();
        return 0;
    }
}
