package com.acme.billing.stripe;

import java.util.ArrayDeque;
import java.util.Deque;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemStreamReader;

/**
 * The period's finalized lines that Stripe does not hold yet, in line_id order, a page at a time.
 * The last line_id handed out is kept in the step's execution context: a restart goes on after the
 * last committed chunk, and a line refused earlier in the same run is not asked again.
 */
public class PendingLineReader implements ItemStreamReader<PushLine> {

    static final String LAST_LINE = "push.last_line_id";

    private final PushRepository pushes;
    private final String period;
    private final int pageSize;
    private final Deque<PushLine> page = new ArrayDeque<>();
    private String last = "";
    private boolean exhausted;

    public PendingLineReader(PushRepository pushes, String period, int pageSize) {
        this.pushes = pushes;
        this.period = period;
        this.pageSize = pageSize;
    }

    @Override
    public void open(ExecutionContext context) {
        last = context.getString(LAST_LINE, "");
    }

    @Override
    public PushLine read() {
        if (page.isEmpty() && !exhausted) {
            var next = pushes.pendingAfter(period, last, pageSize);
            exhausted = next.size() < pageSize;
            page.addAll(next);
        }
        PushLine line = page.poll();
        if (line != null) {
            last = line.lineId();
        }
        return line;
    }

    @Override
    public void update(ExecutionContext context) {
        context.putString(LAST_LINE, last);
    }
}
