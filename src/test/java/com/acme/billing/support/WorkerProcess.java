package com.acme.billing.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * {@code jobs/billing worker} in a JVM of its own (remote partitioning, SPEC 13): its stderr is read as it comes (kept for
 * assertions, and so the pipe never fills), and it can be killed with SIGKILL the moment a line matches.
 */
public final class WorkerProcess implements AutoCloseable {

    private final Process process;
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private volatile Predicate<String> killWhen = line -> false;
    private volatile boolean killed;

    private WorkerProcess(Process process) {
        this.process = process;
        Thread reader = new Thread(this::read, "worker-stderr-" + process.pid());
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts a worker on {@code db} with this clock, more environment and JVM options, and waits until it takes requests. */
    public static WorkerProcess start(TestDatabase db, String now, Map<String, String> env, List<String> jvmOptions) throws IOException {
        return launch(db, now, env, jvmOptions).ready();
    }

    /** Starts a worker without waiting (several start faster side by side); {@link #ready()} waits. */
    public static WorkerProcess launch(TestDatabase db, String now, Map<String, String> env, List<String> jvmOptions) throws IOException {
        return new WorkerProcess(BillingProcess.start(db, now, env, jvmOptions, "worker"));
    }

    /** Waits until the worker takes requests (it says so on stderr). */
    public WorkerProcess ready() {
        await("worker: taking partition requests", 90);
        return this;
    }

    private void read() {
        try (BufferedReader err = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = err.readLine()) != null) {
                lines.add(line);
                if (!killed && killWhen.test(line)) {
                    killed = true;
                    process.destroyForcibly(); // SIGKILL: no shutdown hook, no acknowledgement
                }
            }
        } catch (IOException e) {
            // the process is gone
        }
    }

    /** SIGKILL as soon as a line of stderr matches (the reader thread kills, without waiting for the test's thread). */
    public void killWhen(Predicate<String> condition) {
        this.killWhen = condition;
    }

    public boolean killed() {
        return killed;
    }

    /** Waits for a stderr line containing {@code text}; fails with what the worker said when it does not come. */
    public void await(String text, int seconds) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline) {
            if (lines.stream().anyMatch(l -> l.contains(text))) {
                return;
            }
            if (!process.isAlive() && lines.stream().noneMatch(l -> l.contains(text))) {
                try {
                    Thread.sleep(200); // the reader may still be behind the exit
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                if (lines.stream().anyMatch(l -> l.contains(text))) {
                    return;
                }
                throw new AssertionError("worker exited " + process.exitValue() + " before \"" + text + "\":\n" + String.join("\n", lines));
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        throw new AssertionError("no \"" + text + "\" from the worker in " + seconds + " s:\n" + String.join("\n", lines));
    }

    public List<String> lines() {
        return List.copyOf(lines);
    }

    public boolean waitForExit(int seconds) throws InterruptedException {
        return process.waitFor(seconds, TimeUnit.SECONDS);
    }

    /** Stops the worker as an operator would (SIGTERM), or kills it after 20 s. */
    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    @Override
    public String toString() {
        return "worker pid " + process.pid() + ":\n" + String.join("\n", lines);
    }
}
