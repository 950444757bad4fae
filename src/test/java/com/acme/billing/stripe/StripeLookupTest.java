package com.acme.billing.stripe;

import static org.assertj.core.api.Assertions.assertThat;

import com.acme.billing.tools.FakeStripe;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The look-ups of what unanswered requests created, through stripe-java against the fake's list endpoints (several pages). */
class StripeLookupTest {

    FakeStripe fake;
    StripeGateway gateway;

    @BeforeEach
    void setUp() throws Exception {
        fake = FakeStripe.start();
        StripeSettings settings = new StripeSettings("sk_test_lookup", fake.baseUrl(), 1000, 4, 2000, 2000, 3, new Backoff(1, 5));
        gateway = new StripeGateway(settings, RequestRateLimiter.forRequestsPerSecond(1000));
    }

    @AfterEach
    void tearDown() {
        fake.close();
    }

    static PushLine line(String lineId, String userId) {
        return new PushLine(lineId, "INV-2026-10-" + userId, userId, "2026-10", "line " + lineId, 100, "USD",
                Instant.parse("2026-10-01T00:00:00Z"), Instant.parse("2026-11-01T00:00:00Z"));
    }

    @Test
    void findsInvoiceItemsByLineIdAcrossPagesOfTheCustomerOnly() {
        String alice = gateway.createCustomer("alice").id();
        String bob = gateway.createCustomer("bob").id();
        Map<String, String> created = new HashMap<>();
        for (int i = 0; i < 250; i++) {
            String lineId = String.format("alice-line-%03d", i);
            created.put(lineId, gateway.createInvoiceItem(line(lineId, "alice"), alice).id());
        }
        gateway.createInvoiceItem(line("bob-line", "bob"), bob);
        Instant started = Instant.now();
        int before = fake.requests().size();

        Map<String, String> found = gateway.findInvoiceItems(alice, List.of("alice-line-000", "alice-line-125", "alice-line-249", "bob-line", "never-sent"),
                started);

        assertThat(found).isEqualTo(Map.of("alice-line-000", created.get("alice-line-000"), "alice-line-125", created.get("alice-line-125"),
                "alice-line-249", created.get("alice-line-249")));
        // Newest first, 100 a page: the oldest line is on the third page; a line never sent means reading to the end.
        List<FakeStripe.Request> pages = fake.requests().subList(before, fake.requests().size());
        assertThat(pages).hasSize(3).allSatisfy(r -> {
            assertThat(r.method()).isEqualTo("GET");
            assertThat(r.path()).isEqualTo("/v1/invoiceitems");
            assertThat(r.params()).containsEntry("customer", alice).containsEntry("limit", "100")
                    .containsEntry("created[gte]", String.valueOf(started.getEpochSecond() - 3600));
        });
        assertThat(pages.get(0).params()).doesNotContainKey("starting_after");
        assertThat(pages.get(1).params()).containsEntry("starting_after", created.get("alice-line-150"));
        assertThat(pages.get(2).params()).containsEntry("starting_after", created.get("alice-line-050"));
    }

    @Test
    void stopsReadingOnceEveryLineIsFoundAndLooksOnlyAsFarBackAsTheAttemptStarted() {
        String alice = gateway.createCustomer("alice").id();
        for (int i = 0; i < 150; i++) {
            gateway.createInvoiceItem(line("line-" + i, "alice"), alice);
        }
        int before = fake.requests().size();
        assertThat(gateway.findInvoiceItems(alice, List.of("line-149"), Instant.now())).containsOnlyKeys("line-149");
        assertThat(fake.requests().size() - before).isEqualTo(1);

        // An attempt that started two hours from now (by our clock) cannot have created these.
        assertThat(gateway.findInvoiceItems(alice, List.of("line-0"), Instant.now().plusSeconds(7200))).isEmpty();
    }

    @Test
    void findsCustomersByUserIdAcrossPages() {
        Map<String, String> created = new HashMap<>();
        for (int i = 0; i < 130; i++) {
            String user = "user-" + i;
            created.put(user, gateway.createCustomer(user).id());
        }

        Map<String, String> found = gateway.findCustomers(List.of("user-0", "user-129", "user-nobody"), Instant.now());

        assertThat(found).isEqualTo(Map.of("user-0", created.get("user-0"), "user-129", created.get("user-129")));
        assertThat(fake.requests().stream().filter(r -> r.method().equals("GET") && r.path().equals("/v1/customers"))).hasSize(2);
    }
}
