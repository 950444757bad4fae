package com.acme.billing.api;

import com.acme.billing.audit.AuditActor;
import com.acme.billing.audit.AuditOutcome;
import com.acme.billing.audit.store.AuditLog;
import com.acme.billing.platform.InputRefusedException;
import com.acme.billing.report.StatementOnDemand;
import com.acme.billing.subscription.store.PlanChanges;
import org.springframework.web.bind.annotation.PathVariable;
import com.acme.billing.user.UserId;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/** {@code /api/billing}: plan changes as subscription changes (SPEC 4, 8) and a user's subscription. */
@RestController
class BillingApiController {

    private final PlanChanges plans;
    private final StatementOnDemand statements;
    private final AuditLog audit;
    private final com.acme.billing.audit.store.AuditSubjects subjects;

    BillingApiController(PlanChanges plans, StatementOnDemand statements, AuditLog audit, com.acme.billing.audit.store.AuditSubjects subjects) {
        this.audit = audit;
        this.subjects = subjects;
        this.plans = plans;
        this.statements = statements;
    }

    record State(String userId, String tier, String status, Instant since, Instant trialEnds) {
        static State of(PlanChanges.State s) {
            return new State(s.userId(), s.tier(), s.status(), s.since(), s.trialEnds());
        }
    }

    record Subscription(String userId, String tier, String status, Instant since, Instant trialEnds, List<PlanChanges.HistoryEntry> changes) {
    }

    @PostMapping("/api/billing/subscribe")
    @io.swagger.v3.oas.annotations.responses.ApiResponse(responseCode = "201", description = "the state after the change")
    @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = @io.swagger.v3.oas.annotations.media.Content(mediaType = "application/json", schema = @io.swagger.v3.oas.annotations.media.Schema(implementation = ApiRequests.Subscribe.class)))
    ResponseEntity<State> subscribe(@AuthenticationPrincipal ApiCaller caller, HttpServletRequest request) {
        JsonNode body = ApiJson.object(request);
        ApiJson.only(body, Set.of("user_id", "tier", "trial", "stripe_customer_id"));
        UserId user = caller.userFor(ApiJson.string(body, "user_id"), "user_id");
        String tier = ApiJson.string(body, "tier");
        boolean trial = ApiJson.bool(body, "trial");
        String customer = ApiJson.string(body, "stripe_customer_id");
        return ResponseEntity.status(HttpStatus.CREATED).body(State.of(refusing(caller, "subscribe", user, tier,
                () -> plans.subscribe(user, tier, trial, customer))));
    }

    @PutMapping("/api/billing/upgrade")
    @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = @io.swagger.v3.oas.annotations.media.Content(mediaType = "application/json", schema = @io.swagger.v3.oas.annotations.media.Schema(implementation = ApiRequests.PlanChange.class)))
    State upgrade(@AuthenticationPrincipal ApiCaller caller, HttpServletRequest request) {
        return change(caller, request, true);
    }

    @PutMapping("/api/billing/downgrade")
    @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = @io.swagger.v3.oas.annotations.media.Content(mediaType = "application/json", schema = @io.swagger.v3.oas.annotations.media.Schema(implementation = ApiRequests.PlanChange.class)))
    State downgrade(@AuthenticationPrincipal ApiCaller caller, HttpServletRequest request) {
        return change(caller, request, false);
    }

    private State change(ApiCaller caller, HttpServletRequest request, boolean up) {
        JsonNode body = ApiJson.object(request);
        ApiJson.only(body, Set.of("user_id", "tier"));
        UserId user = caller.userFor(ApiJson.string(body, "user_id"), "user_id");
        String tier = ApiJson.string(body, "tier");
        return State.of(refusing(caller, up ? "upgrade" : "downgrade", user, tier, () -> plans.change(user, tier, up)));
    }

    @DeleteMapping("/api/billing/cancel")
    State cancel(@AuthenticationPrincipal ApiCaller caller, @RequestParam(name = "user_id", required = false) String userId) {
        UserId user = caller.userFor(userId, "user_id");
        return State.of(refusing(caller, "cancel", user, null, () -> plans.cancel(user)));
    }

    @GetMapping("/api/billing/subscription")
    Subscription subscription(@AuthenticationPrincipal ApiCaller caller, @RequestParam(name = "user_id", required = false) String userId) {
        UserId user = caller.userFor(userId, "user_id");
        if (!plans.known(user)) {
            throw new ApiProblem(HttpStatus.NOT_FOUND, "not_found", "user " + user.value() + " has no subscription history");
        }
        PlanChanges.State s = plans.state(user);
        return new Subscription(s.userId(), s.tier(), s.status(), s.since(), s.trialEnds(), plans.history(user));
    }

    record Invoice(String invoiceId, String period, String status, java.math.BigDecimal total, String currency, String pdf) {
    }

    record Invoices(List<Invoice> invoices) {
    }

    /** Every invoice of the user, drafts too, newest period first; {@code pdf} is the statement's path under this server. */
    @GetMapping("/api/billing/invoices")
    Invoices invoices(@AuthenticationPrincipal ApiCaller caller, @RequestParam(name = "user_id", required = false) String userId) {
        UserId user = caller.userFor(userId, "user_id");
        List<Invoice> invoices = statements.invoicesOf(user).stream()
                .map(i -> new Invoice(i.invoiceId(), i.period(), i.status(), i.total(), i.currency(), "/api/billing/invoices/" + i.invoiceId() + ".pdf"))
                .toList();
        return new Invoices(invoices);
    }

    /** The statement, from the reports job or rendered now; a customer gets its own user's only (404 for others: no existence leak). */
    @GetMapping("/api/billing/invoices/{file:.+}")
    ResponseEntity<byte[]> statement(@AuthenticationPrincipal ApiCaller caller, @PathVariable("file") String file) {
        if (!file.endsWith(".pdf")) {
            throw new ApiProblem(HttpStatus.NOT_FOUND, "not_found", "statements are /api/billing/invoices/<invoice_id>.pdf");
        }
        String invoiceId = file.substring(0, file.length() - 4);
        var invoice = statements.find(invoiceId, caller.role() == com.acme.billing.access.Role.CUSTOMER ? caller.userId() : null)
                .orElseThrow(() -> new ApiProblem(HttpStatus.NOT_FOUND, "not_found", "no invoice " + invoiceId));
        return ResponseEntity.ok().contentType(org.springframework.http.MediaType.APPLICATION_PDF)
                .header("Content-Disposition", "attachment; filename=\"" + invoice.invoiceId() + ".pdf\"")
                .body(statements.pdf(invoice));
    }

    /** A change by the plan rules (409 and 400 for their refusals); an admin key's change is audited (SPEC 11), refusals too. */
    private PlanChanges.State refusing(ApiCaller caller, String action, UserId user, String tier, Supplier<PlanChanges.State> change) {
        AuditActor actor = caller.role() == com.acme.billing.access.Role.ADMIN ? AuditActor.api(caller.keyId(), null) : null;
        java.util.Map<String, String> details = tier == null ? null : java.util.Map.of("tier", tier);
        try {
            PlanChanges.State state = change.get();
            if (actor != null) {
                audit.append(actor, "plan." + action, subjects.user(user), AuditOutcome.ok(), details);
            }
            return state;
        } catch (PlanChanges.Refused | InputRefusedException e) {
            if (actor != null) {
                audit.append(actor, "plan." + action, subjects.user(user), AuditOutcome.refused(subjects.redact(e.getMessage(), user)), details);
            }
            throw e instanceof PlanChanges.Refused ? new ApiProblem(HttpStatus.CONFLICT, "conflict", e.getMessage())
                    : new ApiProblem(HttpStatus.BAD_REQUEST, "bad_request", e.getMessage());
        }
    }
}
