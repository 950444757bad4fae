package com.acme.billing.api;

import com.acme.billing.catalog.Tier;
import com.acme.billing.catalog.store.CatalogRepository;
import com.acme.billing.ingest.UsageLogFormat;
import com.acme.billing.period.BillingPeriod;
import com.acme.billing.tracking.CurrentUsage;
import com.acme.billing.tracking.UsageTracker;
import com.acme.billing.user.UserId;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/** {@code /api/usage}: tracking (SPEC 8 with the checks of SPEC 2) and a user's limits. */
@RestController
class UsageApiController {

    static final int MAX_BATCH = 1_000;
    private static final Set<String> EVENT_FIELDS = Set.of("event_id", "user_id", "metric", "quantity", "timestamp");

    private final UsageTracker tracker;
    private final CurrentUsage currentUsage;
    private final CatalogRepository catalogs;
    private final JdbcClient jdbc;
    private final Clock clock;

    UsageApiController(UsageTracker tracker, CurrentUsage currentUsage, CatalogRepository catalogs, JdbcClient jdbc, Clock clock) {
        this.tracker = tracker;
        this.currentUsage = currentUsage;
        this.catalogs = catalogs;
        this.jdbc = jdbc;
        this.clock = clock;
    }

    record Tracked(long accepted, long duplicates) {
    }

    record BadEvent(int index, String reason) {
    }

    /** 202 only once the events are committed; a batch with any bad event is refused whole. */
    @PostMapping("/api/usage/track")
    @io.swagger.v3.oas.annotations.responses.ApiResponse(responseCode = "202", description = "committed: new events and duplicates")
    @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = @io.swagger.v3.oas.annotations.media.Content(mediaType = "application/json", schema = @io.swagger.v3.oas.annotations.media.Schema(oneOf = {ApiRequests.TrackEvent.class, ApiRequests.TrackBatch.class})))
    ResponseEntity<Tracked> track(HttpServletRequest request) {
        JsonNode root = ApiJson.object(request);
        List<UsageTracker.Received> batch = new ArrayList<>();
        List<BadEvent> bad = new ArrayList<>();
        if (root.has("events")) {
            for (String field : root.propertyNames()) {
                if (!field.equals("events")) {
                    throw new ApiProblem(HttpStatus.BAD_REQUEST, "bad_request", "unknown field '" + field + "' beside events");
                }
            }
            JsonNode events = root.get("events");
            if (!events.isArray() || events.isEmpty()) {
                throw new ApiProblem(HttpStatus.BAD_REQUEST, "bad_request", "events: a list of 1 to " + MAX_BATCH + " events");
            }
            if (events.size() > MAX_BATCH) {
                throw new ApiProblem(HttpStatus.BAD_REQUEST, "bad_request", "events: at most " + MAX_BATCH + " events, got " + events.size());
            }
            for (int i = 0; i < events.size(); i++) {
                event(events.get(i), i, batch, bad);
            }
        } else {
            event(root, 0, batch, bad);
        }
        // Every bad event is named, each with its first problem: its shape here, else the rules of SPEC 2.
        UsageTracker.Checked checked = tracker.check(batch);
        checked.refusals().forEach(r -> bad.add(new BadEvent(r.index(), r.reason())));
        if (!bad.isEmpty()) {
            bad.sort(java.util.Comparator.comparingInt(BadEvent::index));
            throw new ApiProblem(HttpStatus.BAD_REQUEST, "invalid_events", bad);
        }
        UsageTracker.Outcome outcome = tracker.track(checked);
        if (!outcome.conflicts().isEmpty()) {
            throw new ApiProblem(HttpStatus.CONFLICT, "conflicting_duplicate",
                    outcome.conflicts().stream().map(r -> new BadEvent(r.index(), r.reason())).toList());
        }
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(new Tracked(outcome.accepted(), outcome.duplicates()));
    }

    /** One event of the body: an object of the five fields (timestamp defaults to now), else a bad event. */
    private void event(JsonNode node, int index, List<UsageTracker.Received> batch, List<BadEvent> bad) {
        if (!node.isObject()) {
            bad.add(new BadEvent(index, "malformed_line"));
            return;
        }
        for (String field : node.propertyNames()) {
            if (!EVENT_FIELDS.contains(field)) {
                bad.add(new BadEvent(index, "unknown field '" + field + "'"));
                return;
            }
        }
        // an absent timestamp stays absent here: the tracker gives it the batch's "now", and knows it was not sent
        batch.add(new UsageTracker.Received(index, UsageLogFormat.fields(node)));
    }

    /** Every event tracked or ingested so far, against the prorated included quantities (SPEC 8). */
    @GetMapping("/api/usage/current")
    CurrentUsage.Month current(@AuthenticationPrincipal ApiCaller caller, @RequestParam(name = "user_id", required = false) String userId,
            @RequestParam(name = "period", required = false) String period) {
        UserId user = caller.userFor(userId, "user_id");
        BillingPeriod month = period == null ? BillingPeriod.containing(clock.instant()) : ApiJson.period(period);
        return currentUsage.of(user, month)
                .orElseThrow(() -> new ApiProblem(HttpStatus.NOT_FOUND, "not_found", "user " + user.value() + " is not known (no subscription, no usage)"));
    }

    record Limit(long limit, boolean hard, String overage) {
    }

    record Limits(String userId, String tier, Map<String, Limit> limits) {
    }

    /** The user's tier now and its monthly limits: hard where the tier has no overage rule for the metric. */
    @GetMapping("/api/usage/limits")
    Limits limits(@AuthenticationPrincipal ApiCaller caller, @RequestParam(name = "user_id", required = false) String userId) {
        UserId user = caller.userFor(userId, "user_id");
        String tierName = currentUsage.tierNow(user).orElseThrow(() -> ApiProblem.noPlan(user));
        var catalog = catalogs.latest().orElseThrow().catalog();
        Tier tier = catalog.tiers().get(tierName);
        Map<String, Limit> limits = new LinkedHashMap<>();
        for (String metric : catalog.metrics()) {
            Long included = tier.limits().get(metric);
            if (included != null) {
                var rule = tier.overage().get(metric);
                limits.put(metric, new Limit(included, rule == null, rule == null ? "none: a hard limit" : rule.inWords()));
            }
        }
        return new Limits(user.value(), tierName, limits);
    }
}
