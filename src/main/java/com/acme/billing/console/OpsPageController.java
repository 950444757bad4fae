package com.acme.billing.console;

import com.acme.billing.ops.AlertRepository;
import com.acme.billing.ops.CommandLauncher;
import com.acme.billing.ops.Operations;
import com.acme.billing.platform.InputRefusedException;
import com.acme.billing.stripe.PushRepository;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.springframework.batch.core.BatchStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;

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

    OpsPageController(Operations operations, CommandLauncher launcher, AlertRepository alerts, PushRepository pushRepository, JdbcClient jdbc, Clock clock) {
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

    @PostMapping("/console/ops/executions/{id}/restart")
    String restart(@PathVariable("id") long id, Model model) {
        try {
            var execution = operations.execution(id);
            BatchStatus status = execution.getStatus();
            if (status == BatchStatus.COMPLETED || status == BatchStatus.ABANDONED) {
                throw new InputRefusedException("execution " + id + " is " + status + "; only a failed, stopped or dead run restarts");
            }
            var later = operations.resumedBy(id);
            if (later.isPresent()) {
                throw new InputRefusedException("execution " + id + " was resumed by execution " + later.get() + "; restart that one if it failed");
            }
            CommandLauncher.Launched launched = launcher.launch("restart", Long.toString(id));
            model.addAttribute("done", "restart of execution " + id + " (" + execution.getJobInstance().getJobName() + ") started in process "
                    + launched.pid() + "; its output goes to " + launched.log() + ". Reload to follow it.");
        } catch (InputRefusedException e) {
            model.addAttribute("refusal", e.getMessage());
        }
        return page(model);
    }

    @PostMapping("/console/ops/executions/{id}/stop")
    String stop(@PathVariable("id") long id, Model model) {
        try {
            operations.stop(id);
            model.addAttribute("done", "execution " + id + " asked to stop: it ends at its next commit (then restart resumes it)");
        } catch (InputRefusedException e) {
            model.addAttribute("refusal", e.getMessage());
        }
        return page(model);
    }

    @PostMapping("/console/ops/executions/{id}/abandon")
    String abandon(@PathVariable("id") long id, Model model) {
        try {
            operations.abandon(id);
            model.addAttribute("done", "execution " + id + " abandoned: it will not be restarted, and its files may be ingested again");
        } catch (InputRefusedException e) {
            model.addAttribute("refusal", e.getMessage());
        }
        return page(model);
    }
}
