package com.acme.billing.ingest;

import java.util.ArrayList;
import java.util.List;
import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemStreamWriter;

/**
 * Writes a chunk of validated lines to the event store's staging area. The last staged line is
 * saved at every commit; on open (first start or restart) whatever was staged after it, by a
 * process that died before its commit, is discarded, so no line is staged twice.
 */
public class StagingWriter implements ItemStreamWriter<StagedLine> {

    static final String STAGED_KEY = "usage.staged.through.line";

    private final EventStore store;
    private final long fileId;
    private long stagedThrough;

    public StagingWriter(EventStore store, long fileId) {
        this.store = store;
        this.fileId = fileId;
    }

    @Override
    public void open(ExecutionContext context) {
        stagedThrough = context.getLong(STAGED_KEY, 0L);
        store.discardStagedAfter(fileId, stagedThrough);
    }

    @Override
    public void write(Chunk<? extends StagedLine> chunk) {
        List<StagedLine.Event> events = new ArrayList<>(chunk.size());
        List<StagedLine.Reject> rejects = new ArrayList<>();
        for (StagedLine line : chunk) {
            if (line instanceof StagedLine.Event event) {
                events.add(event);
            } else {
                rejects.add((StagedLine.Reject) line);
            }
            stagedThrough = Math.max(stagedThrough, line.line());
        }
        store.stage(fileId, events, rejects);
    }

    @Override
    public void update(ExecutionContext context) {
        context.putLong(STAGED_KEY, stagedThrough);
    }
}
