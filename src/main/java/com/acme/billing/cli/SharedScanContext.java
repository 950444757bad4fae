package com.acme.billing.cli;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.core.io.Resource;

/**
 * The Spring context of a command that serves no web requests, with one difference: what Spring's component scan reads
 * from the class files (their annotations, kept per resource) is cached for the JVM, not per context. A command run by
 * {@code jobs/billing} builds one context per process, so nothing changes there; the tests run hundreds of commands in one
 * JVM, a context each, and reading the same class files again was about a sixth of a warm context's start (228 ms against
 * 188-191 ms for {@code usage}, docs/benchmarks.md "Test suite"). Class files do not change while a JVM runs.
 */
final class SharedScanContext extends AnnotationConfigApplicationContext {

    private static final Map<Class<?>, Map<Resource, ?>> CACHES = new ConcurrentHashMap<>();

    @Override
    @SuppressWarnings("unchecked")
    public <T> Map<Resource, T> getResourceCache(Class<T> valueType) {
        return (Map<Resource, T>) CACHES.computeIfAbsent(valueType, type -> new ConcurrentHashMap<Resource, T>());
    }
}
