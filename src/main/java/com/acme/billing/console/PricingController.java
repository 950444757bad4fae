package com.acme.billing.console;

import com.acme.billing.catalog.Catalog;
import com.acme.billing.catalog.Tier;
import com.acme.billing.catalog.store.CatalogRepository;
import com.acme.billing.period.BillingPeriod;
import com.acme.billing.rating.Rating;
import com.acme.billing.rating.RatedLine;
import com.acme.billing.rating.Segment;
import com.acme.billing.subscription.SubscriptionState;
import java.math.BigDecimal;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * {@code /pricing} (SPEC 12, public): every tier of the newest catalog side by side, and a calculator that prices a
 * whole month of the server's month on one tier with the rating core itself ({@link Rating#rate}), so the page
 * and the invoice can never disagree.
 */
@Controller
class PricingController {

    /** One tier's column. */
    record TierColumn(String name, BigDecimal monthlyPrice, int trialDays, Map<String, Long> limits, Map<String, String> overage,
            Set<String> features) {
    }

    /** The calculator's answer: the month's lines and total, or what is wrong with the input. */
    record Quote(String tier, String period, List<RatedLine> lines, BigDecimal total, String currency, int digits,
            List<String> problems, List<String> notes) {
    }

    private final CatalogRepository catalogs;
    private final Clock clock;

    PricingController(CatalogRepository catalogs, Clock clock) {
        this.catalogs = catalogs;
        this.clock = clock;
    }

    @GetMapping("/pricing")
    String pricing(@RequestParam Map<String, String> params, Model model) {
        Catalog catalog = catalogs.latest().map(CatalogRepository.StoredCatalog::catalog).orElse(null);
        model.addAttribute("catalog", catalog);
        if (catalog == null) {
            return "pricing";
        }
        List<Tier> tiers = catalog.tiers().values().stream().sorted(Comparator.comparing(Tier::monthlyPrice).thenComparing(Tier::name)).toList();
        Set<String> features = new LinkedHashSet<>();
        tiers.forEach(t -> features.addAll(t.features()));
        model.addAttribute("columns", tiers.stream().map(t -> column(t, catalog)).toList());
        model.addAttribute("features", features);
        model.addAttribute("metrics", catalog.metrics());
        model.addAttribute("period", BillingPeriod.containing(clock.instant()).toString());
        model.addAttribute("selectedTier", params.getOrDefault("tier", tiers.size() > 1 ? tiers.get(1).name() : tiers.get(0).name()));
        model.addAttribute("entered", entered(params, catalog));
        model.addAttribute("quote", params.containsKey("tier") ? quote(params, catalog) : null);
        return "pricing";
    }

    /** The calculator's result alone, for htmx to swap in as the user types. */
    @GetMapping("/pricing/quote")
    String quoteFragment(@RequestParam Map<String, String> params, Model model) {
        Catalog catalog = catalogs.latest().map(CatalogRepository.StoredCatalog::catalog).orElse(null);
        model.addAttribute("quote", catalog == null ? null : quote(params, catalog));
        return "pricing :: quote";
    }

    private static TierColumn column(Tier tier, Catalog catalog) {
        Map<String, String> overage = new LinkedHashMap<>();
        for (String metric : catalog.metrics()) {
            overage.put(metric, tier.isHardLimit(metric) ? "hard limit" : tier.overage().get(metric).inWords());
        }
        Map<String, Long> limits = new LinkedHashMap<>();
        catalog.metrics().forEach(m -> limits.put(m, tier.limits().get(m)));
        return new TierColumn(tier.name(), tier.monthlyPrice(), tier.trialDays(), limits, overage, new LinkedHashSet<>(tier.features()));
    }

    private static Map<String, String> entered(Map<String, String> params, Catalog catalog) {
        Map<String, String> entered = new LinkedHashMap<>();
        catalog.metrics().forEach(m -> entered.put(m, params.getOrDefault(m, "0")));
        return entered;
    }

    Quote quote(Map<String, String> params, Catalog catalog) {
        BillingPeriod period = BillingPeriod.containing(clock.instant());
        List<String> problems = new ArrayList<>();
        String tierName = params.getOrDefault("tier", "");
        if (catalog.tier(tierName).isEmpty()) {
            problems.add("tier: choose one of " + String.join(", ", catalog.tiers().keySet()));
        }
        Map<String, Long> usage = new LinkedHashMap<>();
        for (String metric : catalog.metrics()) {
            String text = params.getOrDefault(metric, "0").trim().replace(",", "").replace("_", "");
            try {
                long quantity = text.isEmpty() ? 0 : Long.parseLong(text);
                if (quantity < 0 || quantity > 1_000_000_000_000L) {
                    problems.add(metric + ": a whole number from 0 to 1,000,000,000,000");
                }
                usage.put(metric, quantity);
            } catch (NumberFormatException e) {
                problems.add(metric + ": '" + params.get(metric) + "' is not a whole number");
            }
        }
        if (!problems.isEmpty()) {
            return new Quote(tierName, period.toString(), List.of(), null, catalog.currency(), catalog.minorDigits(), problems, List.of());
        }
        Segment month = new Segment(period.start(), period.end(), SubscriptionState.paid(tierName));
        Rating.Result rated = Rating.rate(period, List.of(new Rating.SegmentUsage(month, usage)), catalog);
        List<String> notes = new ArrayList<>();
        rated.usage().stream().filter(u -> u.limitBreached())
                .forEach(u -> notes.add(String.format(java.util.Locale.ENGLISH, "%s: %,d is over the hard limit of %,d; the service stops there"
                        + " (nothing is billed beyond it)", u.metric(), u.quantity(), u.included())));
        return new Quote(tierName, period.toString(), rated.lines(), rated.total(), catalog.currency(), catalog.minorDigits(), List.of(), notes);
    }
}
