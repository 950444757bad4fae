package com.acme.billing.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.acme.billing.support.Browsers;
import com.acme.billing.support.Cli;
import com.acme.billing.support.October;
import com.acme.billing.support.PdfText;
import com.acme.billing.support.Served;
import com.acme.billing.support.TestDatabase;
import com.microsoft.playwright.APIResponse;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Download;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.Response;
import com.microsoft.playwright.options.Cookie;
import com.microsoft.playwright.options.FormData;
import com.microsoft.playwright.options.RequestOptions;
import com.microsoft.playwright.options.SameSiteAttribute;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The console (SPEC 12) in Debian's Chromium against a real {@code serve}, on H2 and PostgreSQL: October 2026 of
 * the CLI tests closed and reported, November's usage ingested, the server's clock at 2026-11-20T12:00:00Z, one
 * account per role. Screenshots of each page go to {@code target/console-screenshots}.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(TestDatabase.Kind.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsoleTest {

    static final String NOW = "2026-11-20T12:00:00Z";
    static final String PASSWORD = "correct horse battery";
    static final Path SHOTS = Path.of("target", "console-screenshots");

    /** One directory for the class's two runs (the per-test @TempDir is not there yet when the server starts). */
    @TempDir
    static Path tmpRoot;

    Path tmp;

    @Parameter
    TestDatabase.Kind kind;

    TestDatabase db;
    Cli cli;
    Served served;
    Playwright playwright;
    Browser browser;
    BrowserContext context;
    Page page;
    String base;
    Map<String, Object> analytics;
    Map<String, Object> experiment;
    Path blocker;
    long failedIngest;

    @BeforeParameterizedClassInvocation
    void startServerAndBrowser() throws Exception {
        Assumptions.assumeTrue(Browsers.missing() == null, Browsers.missing());
        tmp = Files.createDirectories(tmpRoot.resolve(kind.name()));
        db = TestDatabase.create(kind, tmp.resolve("home"));
        cli = db.cli().with("BILLING_NOW", NOW);
        // October: alice on starter within her limits (29.00), bob business then starter from the 11th.
        October.withUsage(cli, tmp, """
                o1,2026-10-05T10:00:00Z,alice,emails_processed,1000
                o2,2026-10-06T10:00:00Z,alice,ai_responses,40
                o3,2026-10-12T10:00:00Z,bob,emails_processed,300
                """);
        cli.ok("close-period", "--period", "2026-10");
        cli.ok("reports", "--period", "2026-10");
        // November so far: alice at 84 % of her 5,000 e-mails, 20 % of 500 AI responses, 105 % of 200 leads.
        Files.writeString(tmp.resolve("november.csv"), """
                event_id,timestamp,user_id,metric,quantity
                n1,2026-11-02T08:00:00Z,alice,emails_processed,4000
                n2,2026-11-03T08:00:00Z,alice,emails_processed,200
                n3,2026-11-03T09:00:00Z,alice,ai_responses,100
                n4,2026-11-04T09:00:00Z,alice,leads_created,210
                """);
        cli.ok("ingest", tmp.resolve("november.csv").toString());
        analytics = cli.ok("analytics", "--period", "2026-10", "--json").json();
        // The sample experiment: carol, first seen in October, is in it (after the close, so no invoice changes).
        cli.ok("import-experiments", "sample-data/experiments.yaml");
        experiment = cli.ok("experiment-results", "price-test-2026-10", "--json").json();
        // A failed run for the operators: a folder where the rejects file must go makes storeNewEvents fail.
        Files.writeString(tmp.resolve("late.csv"), "event_id,timestamp,user_id,metric,quantity\nz1,2026-11-01T00:00:00Z,zed,ai_responses,2\nz2,yesterday,zed,ai_responses,1\n");
        blocker = db.home().resolve("rejects/late.csv.rejects.csv");
        Files.createDirectories(blocker.resolve("in-the-way"));
        Cli.Result failed = cli.run("ingest", tmp.resolve("late.csv").toString(), "--json");
        assertThat(failed.exit()).as(failed.toString()).isEqualTo(1);
        failedIngest = ((Number) failed.json().get("execution_id")).longValue();
        for (String[] account : List.of(new String[] {"alice@example.com", "customer", "alice"}, new String[] {"ann@example.com", "finance", null},
                new String[] {"oscar@example.com", "operator", null}, new String[] {"root@example.com", "admin", null},
                new String[] {"mallory@example.com", "operator", null})) {
            List<String> args = new java.util.ArrayList<>(List.of("console-user", "create", "--email", account[0], "--role", account[1]));
            if (account[2] != null) {
                args.addAll(List.of("--user", account[2]));
            }
            cli.withInput(PASSWORD + "\n").ok(args.toArray(String[]::new));
        }
        served = Served.start(db, Map.of("BILLING_NOW", NOW));
        base = "http://127.0.0.1:" + served.port();
        playwright = Browsers.playwright();
        browser = Browsers.chromium(playwright);
        Files.createDirectories(SHOTS);
    }

    @AfterParameterizedClassInvocation
    void stopServerAndBrowser() throws Exception {
        if (browser != null) {
            browser.close();
        }
        if (playwright != null) {
            playwright.close();
        }
        if (served != null) {
            served.close();
        }
        if (db != null) {
            db.close();
        }
    }

    @BeforeEach
    void newBrowserContext() {
        context = browser.newContext(new Browser.NewContextOptions().setBaseURL(base).setViewportSize(1280, 900).setAcceptDownloads(true));
        page = context.newPage();
    }

    @AfterEach
    void closeBrowserContext() {
        context.close();
    }

    private void signIn(String email, String password) {
        page.navigate("/login");
        page.fill("input[name=email]", email);
        page.fill("input[name=password]", password);
        page.click("button[type=submit]:has-text('Sign in')");
        page.waitForLoadState();
    }

    private void shot(String name) {
        page.screenshot(new Page.ScreenshotOptions().setPath(SHOTS.resolve(name + "-" + kind.name().toLowerCase() + ".png")).setFullPage(true));
    }

    @Test
    void thePricingPageShowsEveryTierAndPricesAMonthWithTheRatingRules() {
        page.navigate("/");
        assertThat(page.url()).isEqualTo(base + "/pricing");
        assertThat(page.locator("#tiers thead th").allTextContents()).containsExactly("", "Free", "Starter", "Pro", "Business");
        assertThat(page.locator("#tiers tr.price td").allTextContents()).containsExactly("USD 0.00", "USD 29.00", "USD 99.00", "USD 299.00");
        // sso: business only; crm_sync: pro and business.
        assertThat(page.locator("#tiers tr:has(th:text-is('sso')) td").allTextContents()).containsExactly("—", "—", "—", "✓");
        assertThat(page.locator("#tiers tr:has(th:text-is('crm sync')) td").allTextContents()).containsExactly("—", "—", "✓", "✓");
        shot("pricing");

        // Pro, 30,000 e-mails (5,000 over at 0.003 = 15.00), 2,600 AI responses (100 over: one package of 500 = 10.00),
        // 1,500 leads (500 over: graduated 500 x 0.40 = 200.00): 99.00 + 15.00 + 10.00 + 200.00 = 324.00. Typed, htmx swaps the quote.
        page.selectOption("select[name=tier]", "pro");
        page.fill("input[name=emails_processed]", "30000");
        page.fill("input[name=ai_responses]", "2600");
        page.fill("input[name=leads_created]", "1500");
        page.waitForCondition(() -> page.locator("#quote-total").count() == 1 && page.locator("#quote-total").textContent().equals("USD 324.00"));
        assertThat(page.locator("#quote table.lines td.num").allTextContents()).containsExactly("99.00", "15.00", "10.00", "200.00", "USD 324.00");

        // Free is all hard limits: 600 e-mails are 100 over the 500, not billed, said so.
        page.selectOption("select[name=tier]", "free");
        page.fill("input[name=emails_processed]", "600");
        page.fill("input[name=ai_responses]", "0");
        page.fill("input[name=leads_created]", "0");
        page.waitForCondition(() -> page.locator("#quote-total").count() == 1 && page.locator("#quote-total").textContent().equals("USD 0.00")
                && page.locator("#quote ul.warning li").count() == 1);
        assertThat(page.locator("#quote ul.warning li").allTextContents())
                .containsExactly("emails_processed: 600 is over the hard limit of 500; the service stops there (nothing is billed beyond it)");

        // The browser keeps a negative number from being sent (min=0); the server says so too, to a plain GET.
        page.navigate("/pricing?tier=pro&emails_processed=-3&ai_responses=x");
        assertThat(page.locator("#quote ul.problem li").allTextContents()).containsExactly(
                "emails_processed: a whole number from 0 to 1,000,000,000,000", "ai_responses: 'x' is not a whole number");
        page.setViewportSize(390, 844);
        page.navigate("/pricing?tier=pro&emails_processed=30000&ai_responses=2600&leads_created=1500");
        assertThat(page.locator("#quote-total").textContent()).isEqualTo("USD 324.00");
        shot("pricing-phone");
    }

    @Test
    void aCustomerSeesTheirPlanMetersInvoicesAndChangesPlanAfterAConfirmation() throws Exception {
        signIn("ALICE@example.com", PASSWORD);
        assertThat(page.url()).isEqualTo(base + "/console/billing");
        assertThat(page.locator("#plan .figure").textContent()).isEqualTo("Starter");
        assertThat(page.locator("#plan-status").textContent()).isEqualTo("active");
        // The meters against the CLI's own usage report of the month (ingested usage, tier starter).
        Map<String, Object> usage = cli.ok("usage", "--period", "2026-11", "--user", "alice", "--json").json();
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> rows = (List<Map<String, Object>>) usage.get("rows");
        for (Map<String, Object> row : rows) {
            var card = page.locator(".meter-card[data-metric=" + row.get("metric") + "]");
            assertThat(card.locator(".used").textContent()).isEqualTo(String.format(java.util.Locale.ENGLISH, "%,d", ((Number) row.get("quantity")).longValue()));
            assertThat(card.locator(".included").textContent()).isEqualTo(String.format(java.util.Locale.ENGLISH, "%,d", ((Number) row.get("included")).longValue()));
        }
        assertThat(page.locator(".meter-card[data-metric=emails_processed] .percent").textContent()).isEqualTo("84.0 %");
        // November by day: the reports job has not copied it from the event store and nothing was tracked online.
        assertThat(page.locator("#no-daily").isVisible()).isTrue();
        assertThat(page.locator(".meter-card[data-metric=emails_processed] .warning").textContent()).isEqualTo("Over 80 % of the included quantity.");
        assertThat(page.locator(".meter-card[data-metric=ai_responses] .warning").count()).isZero();
        assertThat(page.locator(".meter-card[data-metric=leads_created] .warning").textContent())
                .isEqualTo("Beyond the included quantity: overage is billed.");
        // October's invoice: the total the close stored, and its statement.
        String total = db.jdbc().queryForObject("SELECT total FROM invoices WHERE invoice_id = 'INV-2026-10-alice'", java.math.BigDecimal.class)
                .setScale(2).toPlainString();
        assertThat(total).isEqualTo("29.00");
        assertThat(page.locator("#invoices tbody tr").allTextContents()).hasSize(1);
        assertThat(page.locator("#invoices tbody td").allTextContents()).startsWith("2026-10", "INV-2026-10-alice");
        assertThat(page.locator("#invoices tbody td.num").textContent()).isEqualTo("USD 29.00");
        shot("billing-customer");
        Download download = page.waitForDownload(() -> page.click("#invoices a:has-text('PDF')"));
        assertThat(download.suggestedFilename()).isEqualTo("INV-2026-10-alice.pdf");
        String text = PdfText.of(download.path());
        assertThat(text).contains("INV-2026-10-alice").contains("29.00");

        // October by day (the reports job copied it): e-mails on the 5th, AI responses on the 6th.
        page.selectOption("select[name=period]", "2026-10");
        page.waitForURL("**/console/billing?period=2026-10");
        page.waitForCondition(() -> Boolean.TRUE.equals(page.evaluate("() => !!document.getElementById('daily-chart').chart")));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> datasets = (List<Map<String, Object>>) page.evaluate(
                "() => document.getElementById('daily-chart').chart.data.datasets.map(d => ({label: d.label, data: d.data}))");
        assertThat(datasets).hasSize(2);
        assertThat(datasets.get(0).get("label")).isEqualTo("ai_responses");
        assertThat(((List<?>) datasets.get(0).get("data")).get(5)).isEqualTo(40);
        assertThat(datasets.get(1).get("label")).isEqualTo("emails_processed");
        assertThat(((List<?>) datasets.get(1).get("data")).get(4)).isEqualTo(1000);
        assertThat(page.locator("p.note:has-text('Events per day')").textContent()).isEqualTo("Events per day, log files as of 2026-11-20 12:00 UTC "
                + "(refreshed by each nightly run), events tracked online up to now.");
        // An October event tracked online after that copy shows at once, on its day, beside the copy.
        String service = (String) cli.ok("api-key", "create", "--role", "service", "--json").json().get("key");
        assertThat(served.api("POST", "/api/usage/track", service,
                "{\"event_id\":\"late-o4\",\"user_id\":\"alice\",\"metric\":\"ai_responses\",\"quantity\":7,\"timestamp\":\"2026-10-07T10:00:00Z\"}")
                .statusCode()).isEqualTo(202);
        page.reload();
        page.waitForCondition(() -> Boolean.TRUE.equals(page.evaluate("() => !!document.getElementById('daily-chart').chart")));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> withTracked = (List<Map<String, Object>>) page.evaluate(
                "() => document.getElementById('daily-chart').chart.data.datasets.map(d => ({label: d.label, data: d.data}))");
        assertThat(withTracked.get(0).get("label")).isEqualTo("ai_responses");
        assertThat(((List<?>) withTracked.get(0).get("data")).subList(4, 8)).isEqualTo(List.of(0, 40, 7, 0));
        assertThat(((List<?>) withTracked.get(1).get("data")).get(4)).isEqualTo(1000);

        // Upgrade to pro at 2026-11-20T12:00Z: 10.5 of 30 days left = 0.35 of the month;
        // starter 29.00 x 0.35 = 10.15, pro 99.00 x 0.35 = 34.65: +24.50 on November's invoice.
        page.navigate("/console/billing");
        page.selectOption("#plan-change select[name=action]", "upgrade");
        page.selectOption("#plan-change select[name=tier]", "pro");
        page.click("#plan-change button");
        assertThat(page.locator("#preview-difference").textContent()).isEqualTo("+24.50 USD");
        assertThat(db.jdbc().queryForObject("SELECT COUNT(*) FROM subscription_changes WHERE user_id = 'alice'", Long.class)).isEqualTo(1L);
        shot("billing-confirm");
        page.click("#confirm");
        assertThat(page.locator("#changed").textContent()).isEqualTo("upgrade to pro: done");
        assertThat(page.locator("#plan .figure").textContent()).isEqualTo("Pro");
        assertThat(db.jdbc().queryForList("SELECT action, tier FROM subscription_changes WHERE user_id = 'alice' ORDER BY effective_at"))
                .extracting(r -> r.get("action") + "/" + r.get("tier"))
                .containsExactly("subscribe/starter", "change/pro");
        // The result page came by a redirect: reloading it posts nothing again.
        assertThat(page.url()).isEqualTo(base + "/console/billing");
        page.reload();
        assertThat(db.jdbc().queryForObject("SELECT COUNT(*) FROM subscription_changes WHERE user_id = 'alice'", Long.class)).isEqualTo(2L);
        // Upgrading to what is not above is refused by the API's rule already at the review, and nothing is stored.
        page.selectOption("#plan-change select[name=action]", "upgrade");
        page.selectOption("#plan-change select[name=tier]", "starter");
        page.click("#plan-change button");
        assertThat(page.locator("#refusal").textContent()).isEqualTo("starter (29.00 a month) is not above pro (99.00): use downgrade");
        assertThat(page.locator("#confirm").count()).isZero();
        assertThat(db.jdbc().queryForObject("SELECT COUNT(*) FROM subscription_changes WHERE user_id = 'alice'", Long.class)).isEqualTo(2L);
    }

    @Test
    void aCustomerNeverSeesAnotherUsersDataAndAFormWithoutCsrfTokenIsRefused() {
        signIn("alice@example.com", PASSWORD);
        Response other = page.navigate("/console/billing?user=bob");
        assertThat(other.status()).isEqualTo(404);
        assertThat(page.content()).doesNotContain("INV-2026-10-bob");
        assertThat(page.navigate("/console/billing/statements/INV-2026-10-bob.pdf").status()).isEqualTo(404);
        assertThat(page.navigate("/console/finance").status()).isEqualTo(403);
        assertThat(page.navigate("/console/ops").status()).isEqualTo(403);

        // The session cookie: HttpOnly, SameSite=Lax (Secure only over TLS; this is plain HTTP).
        Cookie session = context.cookies().stream().filter(c -> c.name.equals("JSESSIONID")).findFirst().orElseThrow();
        assertThat(session.httpOnly).isTrue();
        assertThat(session.sameSite).isEqualTo(SameSiteAttribute.LAX);

        // The signed-in session posting a plan change without the form's token: refused, nothing stored.
        APIResponse forged = context.request().post("/console/billing/change",
                RequestOptions.create().setForm(FormData.create().set("action", "cancel")).setMaxRedirects(0));
        assertThat(forged.status()).isEqualTo(403);
        assertThat(db.jdbc().queryForObject("SELECT COUNT(*) FROM subscription_changes WHERE user_id = 'alice' AND action = 'cancel'", Long.class))
                .isZero();

        // Sign-out ends the session: the page asks for sign-in again.
        page.navigate("/console/billing");
        page.click("header button:has-text('Sign out')");
        assertThat(page.url()).isEqualTo(base + "/login?signed-out");
        page.navigate("/console/billing");
        assertThat(page.url()).isEqualTo(base + "/login");
    }

    @Test
    void staffSeeAUsersBillingButOnlyAdminsChangePlans() {
        signIn("ann@example.com", PASSWORD);
        assertThat(page.url()).isEqualTo(base + "/console/finance");
        page.navigate("/console/billing?user=bob");
        assertThat(page.locator("h1").textContent()).isEqualTo("Billing of bob");
        assertThat(page.locator("#invoices tbody td").allTextContents()).startsWith("2026-10", "INV-2026-10-bob");
        assertThat(page.locator("#plan-change").count()).isZero();
        assertThat(page.navigate("/console/ops").status()).isEqualTo(403);
        assertThat(page.locator("h1").textContent()).isEqualTo("Not allowed");
        page.navigate("/console/finance");
        page.click("header button:has-text('Sign out')");

        // An admin lands on operations, opens finance too, and may change a user's plan from the billing page.
        signIn("root@example.com", PASSWORD);
        assertThat(page.url()).isEqualTo(base + "/console/ops");
        assertThat(page.navigate("/console/finance").status()).isEqualTo(200);
        page.navigate("/console/billing?user=bob");
        assertThat(page.locator("#plan-change").count()).isEqualTo(1);
    }

    @Test
    @SuppressWarnings("unchecked")
    void financeSeesTheMonthsFiguresChartsExperimentsAndDownloadsTheReports() throws Exception {
        signIn("ann@example.com", PASSWORD);
        assertThat(page.url()).isEqualTo(base + "/console/finance");
        assertThat(page.locator("#pick-period select option").allTextContents()).containsExactly("2026-10");
        // The figures are analytics' own rows for the book (tier "all"), as `analytics --json` printed them.
        Map<String, String> book = new java.util.LinkedHashMap<>();
        for (Map<String, Object> row : (List<Map<String, Object>>) analytics.get("rows")) {
            if ("all".equals(row.get("tier"))) {
                book.put((String) row.get("metric"), (String) row.get("value"));
            }
        }
        // October's end, hand-computed: alice starter 29.00, bob starter (since the 11th) 29.00, carol pro (converted the 15th) 99.00.
        assertThat(book).containsEntry("mrr", "157.00").containsEntry("arr", "1884.00").containsEntry("paying_customers", "3");
        for (String metric : List.of("mrr", "arr", "paying_customers", "arpu")) {
            assertThat(page.locator("#figures .card[data-metric=" + metric + "] .figure").textContent()).isEqualTo(book.get(metric));
        }
        assertThat(page.locator("#trend-source").textContent()).isEqualTo("analytics");
        page.waitForCondition(() -> Boolean.TRUE.equals(page.evaluate("() => !!document.getElementById('trend-mrr').chart")));
        assertThat(page.evaluate("() => document.getElementById('trend-mrr').chart.data.labels")).isEqualTo(List.of("2026-10"));
        assertThat(page.evaluate("() => document.getElementById('trend-mrr').chart.data.datasets[0].data")).isEqualTo(List.of(157));
        shot("finance");

        // The experiment's rows as `experiment-results --json` printed them.
        List<Map<String, Object>> variants = (List<Map<String, Object>>) experiment.get("variants");
        var experimentRows = page.locator("table.experiment[data-experiment='price-test-2026-10'] tbody tr");
        assertThat(experimentRows.count()).isEqualTo(variants.size()).isEqualTo(3);
        assertThat(variants.stream().mapToLong(v -> ((Number) v.get("users")).longValue()).sum()).isEqualTo(1L);
        for (int i = 0; i < variants.size(); i++) {
            var cells = experimentRows.nth(i).locator("td");
            Map<String, Object> v = variants.get(i);
            assertThat(cells.nth(0).textContent()).isEqualTo(v.get("name"));
            int column = 1;
            for (String key : List.of("users", "trial_starts", "conversions", "conversion_rate", "revenue_per_user")) {
                String shown = cells.nth(column++).textContent();
                Object expected = v.get(key);
                if (expected == null) {
                    assertThat(shown).as(key).isEmpty();
                } else {
                    assertThat(new java.math.BigDecimal(shown)).as(key).isEqualByComparingTo(new java.math.BigDecimal(expected.toString()));
                }
            }
        }

        Path reports = db.home().resolve("reports/2026-10");
        assertThat(page.locator("#report-files a").allTextContents()).containsExactly("finance-report.pdf", "invoice-lines.csv",
                "usage-summary.csv", "revenue-summary.csv", "analytics.csv", "cohorts.csv", "statements.zip");
        Download lines = page.waitForDownload(() -> page.click("#report-files a:text-is('invoice-lines.csv')"));
        assertThat(lines.suggestedFilename()).isEqualTo("2026-10-invoice-lines.csv");
        assertThat(Files.readAllBytes(lines.path())).isEqualTo(Files.readAllBytes(reports.resolve("invoice-lines.csv")));
        Download zip = page.waitForDownload(() -> page.click("#report-files a:text-is('statements.zip')"));
        List<String> entries = new java.util.ArrayList<>();
        try (var in = new java.util.zip.ZipInputStream(Files.newInputStream(zip.path()))) {
            for (var entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                entries.add(entry.getName());
                assertThat(in.readAllBytes()).isEqualTo(Files.readAllBytes(reports.resolve("invoices").resolve(entry.getName())));
            }
        }
        assertThat(entries).containsExactly("INV-2026-10-alice.pdf", "INV-2026-10-bob.pdf", "INV-2026-10-carol.pdf");
        // Only the listed files are served: no way out of the month's folder.
        assertThat(page.navigate("/console/finance/reports/2026-10/..%2F..%2Fdb%2Fbilling.mv.db").status()).isIn(400, 404);
        assertThat(page.navigate("/console/finance/reports/2026-10/staging.csv").status()).isEqualTo(404);
    }

    @Test
    @SuppressWarnings("unchecked")
    void operatorsSeeTheRunsAndRestartAFailedOneWithTheCommandLinesRules() throws Exception {
        signIn("oscar@example.com", PASSWORD);
        assertThat(page.url()).isEqualTo(base + "/console/ops");
        // The runs as `executions --json` lists them: same ids, jobs, statuses, failed steps.
        List<Map<String, Object>> executions = (List<Map<String, Object>>) cli.ok("executions", "--json").json().get("executions");
        var rows = page.locator("#runs tbody tr");
        assertThat(rows.count()).isEqualTo(executions.size());
        for (int i = 0; i < executions.size(); i++) {
            var row = rows.nth(i).locator("td");
            Map<String, Object> e = executions.get(i);
            assertThat(row.nth(0).textContent()).isEqualTo(e.get("id").toString());
            assertThat(row.nth(1).textContent()).isEqualTo(e.get("job"));
            assertThat(row.nth(2).textContent()).isEqualTo(e.get("status"));
            assertThat(row.nth(3).textContent()).isEqualTo(e.get("failed_step") == null ? "" : e.get("failed_step"));
        }
        var failedRow = page.locator("#runs tr[data-execution='" + failedIngest + "']");
        assertThat(failedRow.locator("td").nth(2).textContent()).isEqualTo("FAILED");
        assertThat(failedRow.locator(".failed-step").textContent()).isEqualTo("storeNewEvents");
        assertThat(page.locator("#pushes tbody td").allTextContents()).startsWith("2026-10");
        shot("ops");

        // A completed run offers no restart, and a POST without the page's CSRF token is refused outright.
        long completed = ((Number) executions.stream().filter(e -> "COMPLETED".equals(e.get("status"))).findFirst().orElseThrow().get("id")).longValue();
        assertThat(page.locator("#runs tr[data-execution='" + completed + "'] button").count()).isZero();
        assertThat(context.request().post("/console/ops/executions/" + failedIngest + "/restart", RequestOptions.create().setMaxRedirects(0))
                .status()).isEqualTo(403);
        assertThat(db.jdbc().queryForObject("SELECT COUNT(*) FROM BATCH_JOB_EXECUTION", Long.class)).isEqualTo((long) executions.size());

        Files.delete(blocker.resolve("in-the-way"));
        Files.delete(blocker);
        failedRow.locator("button.restart").click();
        assertThat(page.locator("#done").textContent()).startsWith("restart of execution " + failedIngest + " (ingestUsage) started in process ");
        // The child process runs `restart` and the run appears, completed, with the late file's one good event stored.
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (System.nanoTime() < deadline && db.jdbc().queryForObject(
                "SELECT COUNT(*) FROM BATCH_JOB_EXECUTION WHERE STATUS = 'COMPLETED' AND JOB_EXECUTION_ID > ?", Long.class, failedIngest) == 0) {
            Thread.sleep(250);
        }
        page.navigate("/console/ops");
        var newest = page.locator("#runs tbody tr").first().locator("td");
        assertThat(newest.nth(1).textContent()).isEqualTo("ingestUsage");
        assertThat(newest.nth(2).textContent()).isEqualTo("COMPLETED");
        assertThat(db.jdbc().queryForObject("SELECT SUM(count) FROM usage_metrics WHERE user_id = 'zed'", Long.class)).isEqualTo(2L);
        // The old run is now COMPLETED too (restart resumes the same instance): no button left on it.
        assertThat(page.locator("#runs tr[data-execution='" + failedIngest + "'] button").count()).isZero();
        // Audited twice (SPEC 11): the button, by the signed-in operator, and the restart it started, by this machine's user on their behalf.
        long restartedBy = db.jdbc().queryForObject("SELECT MAX(JOB_EXECUTION_ID) FROM BATCH_JOB_EXECUTION", Long.class);
        String me = com.acme.billing.audit.AuditActor.currentProcess().toString();
        while (System.nanoTime() < deadline && db.jdbc().queryForObject("SELECT COUNT(*) FROM audit_log WHERE action = 'restart'", Long.class) < 2) {
            Thread.sleep(100);
        }
        assertThat(db.jdbc().queryForList("SELECT actor_kind, actor, subject, outcome, execution_id, details FROM audit_log WHERE action = 'restart' ORDER BY seq")
                .stream().map(r -> r.values().stream().map(v -> v == null ? null : v.toString()).toList()).toList())
                .containsExactly(
                        java.util.Arrays.asList("console", "oscar@example.com", "execution:" + failedIngest, "ok", null, null),
                        java.util.Arrays.asList("cli", me.substring(4), "execution:" + failedIngest, "ok", Long.toString(restartedBy),
                                "{\"requested_by\":\"console:oscar@example.com\"}"));
        assertThat(cli.ok("audit", "verify").exit()).isZero();
    }

    @Test
    void fiveWrongPasswordsLockTheAccountEvenForTheRightOne() {
        signIn("mallory@example.com", "not the password");
        assertThat(page.url()).isEqualTo(base + "/login?error");
        assertThat(page.locator("[role=alert]").textContent())
                .isEqualTo("Wrong e-mail or password. After 5 failed sign-ins in a row an account is locked for 15 minutes.");
        shot("login");
        for (int i = 2; i <= 5; i++) {
            signIn("mallory@example.com", "not the password " + i);
        }
        signIn("mallory@example.com", PASSWORD);
        // Locked, and said in the same words as a wrong password or an unknown address (which tells nothing).
        assertThat(page.url()).isEqualTo(base + "/login?error");
        assertThat(db.jdbc().queryForObject("SELECT COUNT(*) FROM console_users WHERE email = 'mallory@example.com' AND locked_until > ?",
                Long.class, java.time.OffsetDateTime.now(java.time.ZoneOffset.UTC).plusMinutes(14))).isEqualTo(1L);
        signIn("nobody@example.com", PASSWORD);
        assertThat(page.url()).isEqualTo(base + "/login?error");
        assertThat(page.locator("[role=alert]").textContent())
                .isEqualTo("Wrong e-mail or password. After 5 failed sign-ins in a row an account is locked for 15 minutes.");
    }
}
