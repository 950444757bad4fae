package com.acme.billing.console;

import com.acme.billing.audit.AuditActor;
import com.acme.billing.audit.store.AuditLog;
import com.acme.billing.ops.AlertRepository;
import com.acme.billing.ops.CommandLauncher;
import com.acme.billing.ops.Operations;
import com.acme.billing.platform.InputRefusedException;
import com.acme.billing.stripe.PushRepository;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * {@code /console/ops} (SPEC 12): the newest job runs with status, failed step, duration and counts; restart, stop and
 * abandon with the command line's rules ({@link Operations}; a restart runs {@code jobs/billing restart ID} in a
 * process of its own); the alerts of the last 30 days; Stripe push status per month.
 */
@Controller
class OpsPageController {

    static final int RUNS_SHOWN = 50;

    /** {@code status} is null for a month whose invoices are still drafts (nothing goes to Stripe before finalize). */
    record PushRow(String period, PushRepository.Status status) {
    }

    private final Operations operations;
    private final CommandLauncher launcher;
    private final AlertRepository alerts;
    private final PushRepository pushRepository;
    private final JdbcClient jdbc;
    private final Clock clock;
    private final AuditLog audit;

    OpsPageController(Operations operations, CommandLauncher launcher, AlertRepository alerts, PushRepository pushRepository, JdbcClient jdbc, Clock clock,
            AuditLog audit) {
        this.audit = audit;
        this.operations = operations;
        this.launcher = launcher;
        this.alerts = alerts;
        this.pushRepository = pushRepository;
        this.jdbc = jdbc;
        this.clock = clock;
    }

    @GetMapping("/console/ops")
    String page(Model model) {
        model.addAttribute("runs", operations.recentRuns(RUNS_SHOWN));
        List<AlertRepository.Alert> recent = new java.util.ArrayList<>(alerts.since(clock.instant().minus(Duration.ofDays(30))));
        java.util.Collections.reverse(recent);
        model.addAttribute("alerts", recent);
        List<PushRow> pushes = jdbc.sql("SELECT period, MAX(CASE WHEN status = 'finalized' THEN 1 ELSE 0 END) FROM invoices GROUP BY period "
                        + "ORDER BY period DESC FETCH FIRST 12 ROWS ONLY")
                .query((rs, n) -> new PushRow(rs.getString(1), rs.getInt(2) == 1 ? pushRepository.status(rs.getString(1)) : null))
                .list();
        model.addAttribute("pushes", pushes);
        return "ops";
    }

    /** Runs {@code jobs/billing restart ID} in a process of its own, once the command's own rules let it. */
    @PostMapping("/console/ops/executions/{id}/restart")
    String restart(@AuthenticationPrincipal ConsolePrincipal principal, @PathVariable("id") long id, RedirectAttributes flash) {
        return act(principal, "restart", id, flash, () -> {
            operations.refuseUnlessRestartable(id);
            String job = operations.execution(id).getJobInstance().getJobName();
            // The process writes a row of its own (cli, with requested_by); this one records the button.
            CommandLauncher.Launched launched = launcher.launch(Map.of("BILLING_AUDIT_REQUESTED_BY", AuditActor.console(principal.email()).toString()),
                    "restart", Long.toString(id));
            return "restart of execution " + id + " (" + job + ") started in process " + launched.pid()
                    + "; its output goes to " + launched.log() + ". The new run shows below when it has started; reload to follow it.";
        });
    }

    @PostMapping("/console/ops/executions/{id}/stop")
    String stop(@AuthenticationPrincipal ConsolePrincipal principal, @PathVariable("id") long id, RedirectAttributes flash) {
        return act(principal, "stop", id, flash, () -> {
            operations.stop(id);
            return "execution " + id + " asked to stop: it ends at its next commit (then restart resumes it)";
        });
    }

    @PostMapping("/console/ops/executions/{id}/abandon")
    String abandon(@AuthenticationPrincipal ConsolePrincipal principal, @PathVariable("id") long id, RedirectAttributes flash) {
        return act(principal, "abandon", id, flash, () -> {
            operations.abandon(id);
            return "execution " + id + " abandoned: it will not be restarted, and its files may be ingested again";
        });
    }

    /**
     * An operator's action: what it did, or the rule's refusal, shown on the page after a redirect (a reload repeats
     * nothing), and its audit row with the signed-in e-mail as the actor.
     */
    private String act(ConsolePrincipal principal, String name, long id, RedirectAttributes flash, java.util.function.Supplier<String> action) {
        try {
            flash.addFlashAttribute("done", audit.record(AuditActor.console(principal.email()), name, "execution:" + id, null, action));
        } catch (InputRefusedException | java.io.UncheckedIOException e) {
            flash.addFlashAttribute("refusal", e.getMessage());
        }
        return "redirect:/console/ops";
    }
}
