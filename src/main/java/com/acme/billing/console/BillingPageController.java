package com.acme.billing.console;

import com.acme.billing.access.ActingFor;
import com.acme.billing.access.Role;
import com.acme.billing.audit.AuditActor;
import com.acme.billing.audit.AuditOutcome;
import com.acme.billing.audit.store.AuditLog;
import com.acme.billing.catalog.Catalog;
import com.acme.billing.catalog.Tier;
import com.acme.billing.catalog.store.CatalogRepository;
import com.acme.billing.experiment.store.ExperimentPricing;
import com.acme.billing.period.BillingPeriod;
import com.acme.billing.platform.InputRefusedException;
import com.acme.billing.rating.Rating;
import com.acme.billing.report.StatementOnDemand;
import com.acme.billing.subscription.store.PlanChanges;
import com.acme.billing.tracking.CurrentUsage;
import com.acme.billing.tracking.UsageByDay;
import com.acme.billing.user.UserId;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Currency;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * {@code /console/billing} (SPEC 12): one user's plan and status, usage meters against the prorated included
 * quantities (warning from 80 %), usage by day, invoices with their statements, and plan changes through the same
 * rules as the API ({@link PlanChanges}), each after a confirmation that shows its prorated effect. A customer sees
 * their own user only, whatever the URL says; staff roles pick a user; only customers and admins change plans.
 */
@Controller
class BillingPageController {

    /** One metric's meter: {@code level} is ok, warn (from 80 %) or over. */
    record Meter(String metric, long used, long included, BigDecimal percent, boolean hardLimit, String level) {
    }

    /** What a plan change would do from now to the month's end, before it is confirmed. */
    record Preview(String action, String fromTier, String toTier, String period, String remaining, String currency,
            BigDecimal baseFeeBefore, BigDecimal baseFeeAfter, BigDecimal difference, Map<String, String> includedAfter, boolean trial) {
    }

    private final PlanChanges plans;
    private final CurrentUsage currentUsage;
    private final StatementOnDemand statements;
    private final CatalogRepository catalogs;
    private final ExperimentPricing pricing;
    private final UsageByDay usageByDay;
    private final Clock clock;
    private final AuditLog audit;
    private final com.acme.billing.audit.store.AuditSubjects subjects;

    BillingPageController(PlanChanges plans, CurrentUsage currentUsage, StatementOnDemand statements, CatalogRepository catalogs,
            ExperimentPricing pricing, UsageByDay usageByDay, Clock clock, AuditLog audit, com.acme.billing.audit.store.AuditSubjects subjects) {
        this.audit = audit;
        this.subjects = subjects;
        this.plans = plans;
        this.currentUsage = currentUsage;
        this.statements = statements;
        this.catalogs = catalogs;
        this.pricing = pricing;
        this.usageByDay = usageByDay;
        this.clock = clock;
    }

    @GetMapping("/console/billing")
    String page(@AuthenticationPrincipal ConsolePrincipal principal, @RequestParam(name = "user", required = false) String userParam,
            @RequestParam(name = "period", required = false) String periodParam, Model model) {
        UserId user = userOf(principal, userParam);
        BillingPeriod current = BillingPeriod.containing(clock.instant());
        BillingPeriod period = periodOf(periodParam, current);
        model.addAttribute("current", current.toString());
        model.addAttribute("period", period.toString());
        model.addAttribute("canChange", principal.role() == Role.CUSTOMER || principal.role() == Role.ADMIN);
        model.addAttribute("staff", !principal.customer());
        if (user == null) {
            return "billing";
        }
        model.addAttribute("user", user.value());
        boolean known = plans.known(user);
        model.addAttribute("known", known);
        PlanChanges.State state = known ? plans.state(user) : null;
        model.addAttribute("state", state);
        model.addAttribute("meters", meters(user, period));
        var invoices = statements.invoicesOf(user);
        model.addAttribute("invoices", invoices);
        TreeSet<String> periods = new TreeSet<>(Comparator.reverseOrder());
        periods.add(current.toString());
        invoices.forEach(i -> periods.add(i.period()));
        model.addAttribute("periods", periods);
        Catalog catalog = catalogs.latest().map(CatalogRepository.StoredCatalog::catalog).orElse(null);
        model.addAttribute("tiers", catalog == null ? List.of() : catalog.tiers().values().stream()
                .sorted(Comparator.comparing(Tier::monthlyPrice)).map(Tier::name).toList());
        model.addAttribute("daily", dailyChart(user, period));
        return "billing";
    }

    /**
     * Step one of a plan change: what it would do, checked by the same rules as the change itself ({@link
     * PlanChanges#check}), priced with the user's own catalog (a pricing experiment's variant where the user has one).
     * Nothing is stored.
     */
    @PostMapping("/console/billing/preview")
    String preview(@AuthenticationPrincipal ConsolePrincipal principal, @RequestParam(name = "user", required = false) String userParam,
            @RequestParam("action") String action, @RequestParam(name = "tier", defaultValue = "") String tier, Model model) {
        UserId user = changerOf(principal, userParam);
        try {
            plans.check(user, action, tier);
        } catch (PlanChanges.Refused | InputRefusedException e) {
            model.addAttribute("refusal", e.getMessage());
            return page(principal, userParam, null, model);
        }
        Catalog base = catalogs.latest().map(CatalogRepository.StoredCatalog::catalog)
                .orElseThrow(() -> new ResponseStatusException(HttpStatus.CONFLICT, "no catalog imported"));
        Catalog catalog = pricing.catalogs(base, true).forUser(user.value());
        PlanChanges.State state = plans.known(user) ? plans.state(user) : null;
        boolean active = state != null && (state.status().equals("active") || state.status().equals("trial"));
        boolean trial = state != null && state.status().equals("trial");
        Tier before = active ? catalog.tiers().get(state.tier()) : null;
        Tier after = action.equals("cancel") ? null : catalog.tiers().get(tier);
        // The change is recorded at this instant (whole seconds), so the preview counts from it too.
        Instant at = plans.changeInstant();
        BillingPeriod period = BillingPeriod.containing(at);
        long remaining = Duration.between(at, period.end()).getSeconds();
        Currency currency = Currency.getInstance(catalog.currency());
        BigDecimal zero = BigDecimal.ZERO.setScale(catalog.minorDigits());
        // A trial is not charged; a change during a trial ends it and starts paid on the new tier at once (SPEC 4).
        BigDecimal feeBefore = before == null || trial ? zero : Rating.fraction(before.monthlyPrice(), remaining, period.seconds(), currency).amount();
        BigDecimal feeAfter = after == null ? zero : Rating.fraction(after.monthlyPrice(), remaining, period.seconds(), currency).amount();
        Map<String, String> included = new LinkedHashMap<>();
        if (after != null) {
            for (String metric : catalog.metrics()) {
                included.put(metric, String.format(java.util.Locale.ENGLISH, "%,d",
                        Rating.includedQuantity(after.limits().get(metric), remaining, period.seconds())));
            }
        }
        model.addAttribute("preview", new Preview(action, before == null ? null : before.name(), after == null ? null : after.name(),
                period.toString(), words(Duration.ofSeconds(remaining)), catalog.currency(), feeBefore, feeAfter, feeAfter.subtract(feeBefore),
                included, trial));
        return page(principal, userParam, null, model);
    }

    /**
     * Step two: the change itself, by the API's rules (a wrong direction or nothing to cancel is refused, as 409 there),
     * then back to the page by a redirect, so that reloading it does not post the change again.
     */
    @PostMapping("/console/billing/change")
    String change(@AuthenticationPrincipal ConsolePrincipal principal, @RequestParam(name = "user", required = false) String userParam,
            @RequestParam("action") String action, @RequestParam(name = "tier", defaultValue = "") String tier, RedirectAttributes flash) {
        UserId user = changerOf(principal, userParam);
        // An admin's change is audited (SPEC 11); a customer's own is the customer's business, recorded as a subscription change.
        boolean audited = principal.role() == Role.ADMIN && java.util.Set.of("upgrade", "downgrade", "cancel", "subscribe").contains(action);
        Map<String, String> details = tier.isBlank() ? null : Map.of("tier", tier);
        try {
            PlanChanges.State after = switch (action) {
                case "upgrade" -> plans.change(user, tier, true);
                case "downgrade" -> plans.change(user, tier, false);
                case "cancel" -> plans.cancel(user);
                case "subscribe" -> plans.subscribe(user, tier, false, null);
                default -> throw new InputRefusedException("action: subscribe, upgrade, downgrade or cancel");
            };
            if (audited) {
                audit.append(AuditActor.console(principal.email()), "plan." + action, subjects.user(user), AuditOutcome.ok(), details);
            }
            flash.addFlashAttribute("changed", action + (after.tier() == null || action.equals("cancel") ? "" : " to " + after.tier()) + ": done");
        } catch (PlanChanges.Refused | InputRefusedException e) {
            if (audited) {
                audit.append(AuditActor.console(principal.email()), "plan." + action, subjects.user(user), AuditOutcome.refused(subjects.redact(e.getMessage(), user)), details);
            }
            flash.addFlashAttribute("refusal", e.getMessage());
        }
        return "redirect:/console/billing" + (principal.customer() ? "" : "?user=" + java.net.URLEncoder.encode(user.value(), java.nio.charset.StandardCharsets.UTF_8));
    }

    /** A statement PDF; a customer gets their own user's only, and another user's invoice is "not found" (no existence leak). */
    @GetMapping("/console/billing/statements/{file:.+}")
    ResponseEntity<byte[]> statement(@AuthenticationPrincipal ConsolePrincipal principal, @PathVariable("file") String file) {
        if (!file.endsWith(".pdf")) {
            throw new ResponseStatusException(HttpStatus.NOT_FOUND);
        }
        var invoice = statements.find(file.substring(0, file.length() - 4), principal.customer() ? principal.userId() : null)
                .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND));
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_PDF)
                .header("Content-Disposition", "attachment; filename=\"" + invoice.invoiceId() + ".pdf\"")
                .body(statements.pdf(invoice));
    }

    /** A customer: always their own user (a {@code user} parameter naming another is refused). Staff: the parameter. */
    private static UserId userOf(ConsolePrincipal principal, String userParam) {
        ActingFor actingFor = ActingFor.resolve(principal.role(), principal.userId(), userParam);
        return switch (actingFor.outcome()) {
            case OWN_USER, NAMED_USER -> actingFor.user();
            // Another user's page does not exist for a customer (no existence leak).
            case OTHER_USER_REFUSED -> throw new ResponseStatusException(HttpStatus.NOT_FOUND);
            case NO_USER_NAMED -> null;
            case INVALID_USER -> throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "user: " + actingFor.problem());
        };
    }

    private static UserId changerOf(ConsolePrincipal principal, String userParam) {
        if (principal.role() != Role.CUSTOMER && principal.role() != Role.ADMIN) {
            throw new ResponseStatusException(HttpStatus.FORBIDDEN, "only the customer or an admin changes a plan");
        }
        UserId user = userOf(principal, userParam);
        if (user == null) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "user: required");
        }
        return user;
    }

    private static BillingPeriod periodOf(String text, BillingPeriod current) {
        if (text == null || text.isBlank()) {
            return current;
        }
        try {
            BillingPeriod period = BillingPeriod.parse(text);
            if (period.start().isAfter(current.start())) {
                throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "period: not after " + current);
            }
            return period;
        } catch (InputRefusedException | IllegalArgumentException e) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "period: YYYY-MM");
        }
    }

    private List<Meter> meters(UserId user, BillingPeriod period) {
        return currentUsage.of(user, period).map(month -> month.metrics().stream().map(m -> {
            BigDecimal percent = m.percent();
            String level = m.over() || (percent != null && percent.compareTo(BigDecimal.valueOf(100)) >= 0) ? "over"
                    : percent != null && percent.compareTo(BigDecimal.valueOf(80)) >= 0 ? "warn" : "ok";
            return new Meter(m.metric(), m.used(), m.included(), percent, m.hardLimit(), level);
        }).toList()).orElse(List.of());
    }

    private static final java.time.format.DateTimeFormatter COPY_TIME = java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'");

    /** The usage-by-day chart as Chart.js data ({@link UsageByDay}), with a caption saying how old the log files' part is. */
    private Map<String, Object> dailyChart(UserId user, BillingPeriod period) {
        UsageByDay.Month month = usageByDay.of(user, period);
        int days = (int) Duration.between(period.start(), period.end()).toDays();
        String source = month.copiedAt()
                .map(at -> "log files as of " + COPY_TIME.format(at.withOffsetSameInstant(java.time.ZoneOffset.UTC))
                        + " (refreshed by each nightly run), events tracked online up to now")
                .orElse("tracked online so far (log files show here by day after the next nightly run)");
        List<String> labels = new ArrayList<>();
        for (int d = 1; d <= days; d++) {
            labels.add(Integer.toString(d));
        }
        String[] colors = {"#2457c5", "#1b7f3b", "#a15c00", "#7b3fb0", "#b3261e"};
        List<Map<String, Object>> datasets = new ArrayList<>();
        int i = 0;
        for (var entry : month.byMetric().entrySet()) {
            datasets.add(Map.of("label", entry.getKey(), "data", entry.getValue(), "backgroundColor", colors[i++ % colors.length]));
        }
        Map<String, Object> spec = Map.of("type", "bar",
                "data", Map.of("labels", labels, "datasets", datasets),
                "options", Map.of("responsive", true, "maintainAspectRatio", false, "animation", false,
                        "scales", Map.of("x", Map.of("stacked", true, "title", Map.of("display", true, "text", "day of " + period)),
                                "y", Map.of("stacked", true, "beginAtZero", true))));
        return Map.of("json", ChartJson.of(spec), "source", source, "empty", month.byMetric().isEmpty());
    }

    private static String words(Duration d) {
        long days = d.toDays();
        long hours = d.minusDays(days).toHours();
        return days + " days " + hours + " h";
    }
}
