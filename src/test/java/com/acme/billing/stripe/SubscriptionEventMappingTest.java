package com.acme.billing.stripe;

import static org.assertj.core.api.Assertions.assertThat;

import com.acme.billing.catalog.Catalog;
import com.acme.billing.catalog.CatalogParser;
import com.acme.billing.stripe.SubscriptionEventMapping.Kind;
import com.acme.billing.stripe.SubscriptionEventMapping.Result;
import com.acme.billing.subscription.SubscriptionAction;
import com.acme.billing.subscription.SubscriptionChange;
import com.acme.billing.subscription.SubscriptionState;
import com.acme.billing.user.UserId;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The webhook's mapping of subscription events, hostile ones first, without a server or a database. */
class SubscriptionEventMappingTest {

    static final Catalog CATALOG = catalog();
    static final JsonMapper JSON = JsonMapper.builder().build();
    static final Instant CREATED = Instant.parse("2026-11-16T00:00:00Z");
    static final String UPDATED = "customer.subscription.updated";

    /** alice is on starter since September with customer cus_A; nobody else is known. */
    static final SubscriptionEventMapping.Lookups OURS = new SubscriptionEventMapping.Lookups() {
        @Override
        public Optional<UserId> userOfCustomer(String customerId) {
            return Optional.ofNullable(Map.of("cus_A", new UserId("alice")).get(customerId));
        }

        @Override
        public SubscriptionState stateAt(UserId user, Instant at) {
            return user.value().equals("alice") ? new SubscriptionState(SubscriptionState.Status.PAID, "starter", null)
                    : new SubscriptionState(SubscriptionState.Status.NONE, null, null);
        }
    };

    static Catalog catalog() {
        try {
            return CatalogParser.parse(Files.readString(Path.of("sample-data/catalog.yaml")), "catalog.yaml");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static Result map(String type, String subscriptionJson) {
        JsonNode subscription = JSON.readTree(subscriptionJson);
        return SubscriptionEventMapping.map("evt_1", type, CREATED, subscription, CATALOG, OURS);
    }

    /** A subscription object whose metadata is {@code metadataJson} (raw JSON value of "metadata"). */
    static String subscription(String metadataJson, String customer, String status, String lookupKey, String extra) {
        return "{\"id\":\"sub_1\",\"object\":\"subscription\",\"customer\":" + customer + ",\"status\":\"" + status + "\",\"metadata\":"
                + metadataJson + ",\"items\":{\"data\":[{\"price\":{\"id\":\"price_1\",\"lookup_key\":" + lookupKey + "}}]}" + extra + "}";
    }

    @Test
    void anUpgradeOfAKnownUserIsAChangeAtTheEventsInstant() {
        assertThat(map(UPDATED, subscription("{\"user_id\":\"alice\"}", "\"cus_A\"", "active", "\"pro\"", ""))).isEqualTo(Result.apply(
                new SubscriptionChange(new UserId("alice"), CREATED, SubscriptionAction.CHANGE, "pro", "cus_A", null, 0, "stripe webhook evt_1")));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "../../x|metadata.user_id '../../x' is not a user id: character '/' (U+002F) at position 3 is not allowed",
            "a,b\\\"c|metadata.user_id 'a,b\"c' is not a user id: character ',' (U+002C) at position 2 is not allowed",
            "=HYPERLINK(\\\"http://e\\\")|metadata.user_id '=HYPERLINK(\"http://e\")' is not a user id: character '=' (U+003D) at position 1 is not allowed",
            "a\\nb|metadata.user_id 'a\\u000ab' is not a user id: character U+000A at position 2 is not allowed",
            "a\\u0000b|metadata.user_id 'a\\u0000b' is not a user id: character U+0000 at position 2 is not allowed",
            "` `|metadata.user_id ' ' is not a user id: character U+0020 at position 1 is not allowed"})
    void aHostileUserIdIsRefusedWithoutNamingAUser(String jsonString, String reason) {
        // Even with a customer that is ours: a user id that is there but bad is refused, never replaced.
        assertThat(map(UPDATED, subscription("{\"user_id\":\"" + jsonString + "\"}", "\"cus_A\"", "active", "\"pro\"", "")))
                .isEqualTo(Result.refused(null, reason + " (1-64 characters of [A-Za-z0-9._:@-])"));
    }

    @Test
    void aUserIdOf5000CharactersIsRefusedAndTheMessageCutsIt() {
        Result result = map(UPDATED, subscription("{\"user_id\":\"" + "x".repeat(5000) + "\"}", "\"cus_A\"", "active", "\"pro\"", ""));
        assertThat(result).isEqualTo(Result.refused(null, "metadata.user_id '" + "x".repeat(80) + "'... (5000 characters) is not a user id: "
                + "5000 characters, at most 64 (1-64 characters of [A-Za-z0-9._:@-])"));
    }

    @Test
    void aUserIdThatIsNotAStringIsRefused() {
        assertThat(map(UPDATED, subscription("{\"user_id\":42}", "\"cus_A\"", "active", "\"pro\"", "")))
                .isEqualTo(Result.refused(null, "metadata.user_id is not a string"));
        assertThat(map(UPDATED, subscription("{\"user_id\":[\"alice\"]}", "\"cus_A\"", "active", "\"pro\"", "")).kind()).isEqualTo(Kind.REFUSED);
    }

    @Test
    void withoutMetadataTheCustomerNamesTheUserOrTheEventIsIgnored() {
        assertThat(map(UPDATED, subscription("{}", "\"cus_A\"", "active", "\"pro\"", "")).change().userId()).isEqualTo(new UserId("alice"));
        // Stripe removes a metadata key set to "": the same as none.
        assertThat(map(UPDATED, subscription("{\"user_id\":\"\"}", "\"cus_A\"", "active", "\"pro\"", "")).kind()).isEqualTo(Kind.APPLY);
        assertThat(map(UPDATED, "{\"id\":\"sub_1\",\"customer\":\"cus_A\",\"status\":\"active\",\"items\":{\"data\":[{\"price\":{\"lookup_key\":\"pro\"}}]}}")
                .kind()).isEqualTo(Kind.APPLY);
        assertThat(map(UPDATED, subscription("{}", "\"cus_Z\"", "active", "\"pro\"", "")))
                .isEqualTo(Result.ignored("ignored: no metadata.user_id, and customer 'cus_Z' is not one of ours"));
        assertThat(map(UPDATED, subscription("{}", "null", "active", "\"pro\"", "")))
                .isEqualTo(Result.ignored("ignored: no metadata.user_id, and customer (none) is not one of ours"));
        assertThat(map(UPDATED, subscription("null", "{\"id\":\"cus_A\"}", "active", "\"pro\"", "")).kind()).isEqualTo(Kind.IGNORED);
    }

    @Test
    void anUnknownOrMissingLookupKeyIsRefusedForThatUser() {
        UserId alice = new UserId("alice");
        assertThat(map(UPDATED, subscription("{\"user_id\":\"alice\"}", "\"cus_A\"", "active", "\"platinum\"", "")))
                .isEqualTo(Result.refused(alice, "price lookup_key 'platinum' is not a tier of the catalog"));
        assertThat(map(UPDATED, subscription("{\"user_id\":\"alice\"}", "\"cus_A\"", "active", "\"../x\\n\"", "")))
                .isEqualTo(Result.refused(alice, "price lookup_key '../x\\u000a' is not a tier of the catalog"));
        assertThat(map(UPDATED, subscription("{\"user_id\":\"alice\"}", "\"cus_A\"", "active", "null", "")))
                .isEqualTo(Result.refused(alice, "no price lookup_key on the subscription's first item: the tier is unknown"));
        assertThat(map(UPDATED, "{\"metadata\":{\"user_id\":\"alice\"},\"status\":\"active\"}"))
                .isEqualTo(Result.refused(alice, "no price lookup_key on the subscription's first item: the tier is unknown"));
        assertThat(SubscriptionEventMapping.map("evt_1", UPDATED, CREATED,
                JSON.readTree(subscription("{\"user_id\":\"alice\"}", "\"cus_A\"", "active", "\"pro\"", "")), null, OURS))
                .isEqualTo(Result.refused(alice, "price lookup_key 'pro' is not a tier of the catalog"));
    }

    @Test
    void theSameTierIsNoChangeAndATrialNeedsItsEnd() {
        assertThat(map(UPDATED, subscription("{\"user_id\":\"alice\"}", "\"cus_A\"", "active", "\"starter\"", "")))
                .isEqualTo(Result.unchanged(new UserId("alice"), "no change: alice is already on starter"));
        assertThat(map("customer.subscription.created", subscription("{\"user_id\":\"dave\"}", "\"cus_D\"", "trialing", "\"pro\"", "")))
                .isEqualTo(Result.refused(new UserId("dave"), "a trialing subscription without trial_end"));
    }

    @Test
    void aNewTrialStartsAtTrialStartAndEndsAtTrialEnd() {
        long start = Instant.parse("2026-11-05T10:00:00Z").getEpochSecond();
        long end = Instant.parse("2026-11-19T10:00:00Z").getEpochSecond();
        assertThat(map("customer.subscription.created", subscription("{\"user_id\":\"dave\"}", "\"cus_D\"", "trialing", "\"pro\"",
                ",\"start_date\":" + start + ",\"trial_start\":" + start + ",\"trial_end\":" + end + ",\"canceled_at\":null")))
                .isEqualTo(Result.apply(new SubscriptionChange(new UserId("dave"), Instant.ofEpochSecond(start), SubscriptionAction.TRIAL, "pro",
                        "cus_D", Instant.ofEpochSecond(end), 0, "stripe webhook evt_1")));
    }

    @Test
    void aCancellationNeedsNoTierAndTakesEndedAt() {
        long ended = Instant.parse("2026-11-20T00:00:00Z").getEpochSecond();
        assertThat(map("customer.subscription.deleted", subscription("{\"user_id\":\"alice\"}", "\"cus_A\"", "canceled", "null",
                ",\"ended_at\":" + ended)))
                .isEqualTo(Result.apply(new SubscriptionChange(new UserId("alice"), Instant.ofEpochSecond(ended), SubscriptionAction.CANCEL, "",
                        "cus_A", null, 0, "stripe webhook evt_1")));
    }

    @Test
    void anInstantThatIsNotWholeUnixSecondsIsRefused() {
        // Stripe sends integers; a fraction (or a string) would otherwise be cut or dropped silently.
        assertThat(map("customer.subscription.deleted", subscription("{\"user_id\":\"alice\"}", "\"cus_A\"", "canceled", "null",
                ",\"ended_at\":1795132800.5")))
                .isEqualTo(Result.refused(new UserId("alice"), "ended_at is not whole Unix seconds"));
        assertThat(map("customer.subscription.created", subscription("{\"user_id\":\"dave\"}", "\"cus_D\"", "trialing", "\"pro\"",
                ",\"trial_start\":\"2026-11-05T10:00:00Z\",\"trial_end\":1795600000")))
                .isEqualTo(Result.refused(new UserId("dave"), "trial_start is not whole Unix seconds"));
    }
}
