package com.acme.billing.api;

import com.acme.billing.analytics.Cohorts;
import com.acme.billing.analytics.MonthKpis;
import com.acme.billing.analytics.job.AnalyticsService;
import com.acme.billing.period.BillingPeriod;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /api/analytics?period=}: the rows of the period's last {@code analytics} run (SPEC 9), as in analytics.csv. */
@RestController
class AnalyticsApiController {

    private final AnalyticsService analytics;

    AnalyticsApiController(AnalyticsService analytics) {
        this.analytics = analytics;
    }

    record Analytics(String period, List<MonthKpis.Row> rows, List<Cohorts.Row> cohorts) {
    }

    @GetMapping("/api/analytics")
    Analytics analytics(@RequestParam(name = "period") String period) {
        BillingPeriod month = ApiJson.period(period);
        List<MonthKpis.Row> rows = analytics.figures(month);
        if (rows.isEmpty()) {
            throw new ApiProblem(HttpStatus.NOT_FOUND, "not_found",
                    "no analytics for " + month + " yet (the nightly job computes it after the close; or jobs/billing analytics --period " + month + ")");
        }
        return new Analytics(month.toString(), rows, analytics.cohorts(month));
    }
}
