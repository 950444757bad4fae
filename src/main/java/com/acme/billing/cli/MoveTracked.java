package com.acme.billing.cli;

import com.acme.billing.ingest.TrackedEventsMover;

/**
 * SPEC 8: every command that reads usage first moves the events tracked online into the event store,
 * so that an acknowledged event counts without an ingest or nightly in between.
 */
final class MoveTracked {

    private MoveTracked() {
    }

    static void before(CommandContext context) {
        TrackedEventsMover.Moved moved = context.bean(TrackedEventsMover.class).moveCommitted();
        if (moved.events() > 0) {
            context.console().say("moved %d event(s) tracked online into the event store: %d new, %d duplicates, %d rejected; execution %d",
                    moved.events(), moved.accepted(), moved.duplicates(), moved.rejected(), moved.executionId());
        }
    }
}
