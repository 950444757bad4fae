package com.acme.billing.platform;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** Worker threads of the chunk writers that work in parallel (Stripe requests, PDF rendering). */
public final class Workers {

    private Workers() {
    }

    /** A fixed pool of daemon threads: they never keep a finished command's JVM alive. */
    public static ExecutorService daemons(String name, int threads) {
        return Executors.newFixedThreadPool(threads, runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * The results of every task, in order. Waits for all of them even when one failed, so that nothing
     * of the chunk is still running when the chunk fails; then throws the first failure.
     */
    public static <T> List<T> awaitAll(List<Future<T>> futures) throws Exception {
        List<T> results = new ArrayList<>();
        Exception failure = null;
        for (Future<T> future : futures) {
            try {
                results.add(future.get());
            } catch (ExecutionException e) {
                if (failure == null) {
                    failure = e.getCause() instanceof Exception cause ? cause : new IllegalStateException(e.getCause());
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
        return results;
    }
}
