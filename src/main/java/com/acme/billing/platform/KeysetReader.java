package com.acme.billing.platform;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.function.Function;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemStreamReader;

/**
 * Reads items a page at a time in the order of a string key, each page after the last key handed
 * out. That key is kept in the step's execution context under {@code contextKey}: a restart goes on
 * after the last committed chunk, and within a run nothing is read twice, even items the query would
 * still return (a line Stripe refused, say).
 */
public class KeysetReader<T> implements ItemStreamReader<T> {

    /** The next {@code limit} items whose key is greater than {@code after}, in key order. */
    public interface Pages<T> {
        List<T> after(String after, int limit);
    }

    private final String contextKey;
    private final Pages<T> pages;
    private final Function<T, String> key;
    private final int pageSize;
    private final Deque<T> page = new ArrayDeque<>();
    private String last = "";
    private boolean exhausted;

    public KeysetReader(String contextKey, Pages<T> pages, Function<T, String> key, int pageSize) {
        this.contextKey = contextKey;
        this.pages = pages;
        this.key = key;
        this.pageSize = pageSize;
    }

    @Override
    public void open(ExecutionContext context) {
        last = context.getString(contextKey, "");
    }

    @Override
    public T read() {
        if (page.isEmpty() && !exhausted) {
            List<T> next = pages.after(last, pageSize);
            exhausted = next.size() < pageSize;
            page.addAll(next);
        }
        T item = page.poll();
        if (item != null) {
            last = key.apply(item);
        }
        return item;
    }

    @Override
    public void update(ExecutionContext context) {
        context.putString(contextKey, last);
    }
}
