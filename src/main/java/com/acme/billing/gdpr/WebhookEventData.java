package com.acme.billing.gdpr;

import com.acme.billing.user.UserId;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.core.annotation.Order;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Stripe webhook events about the user ({@code webhook_events}): those whose payload names the user id (in
 * {@code metadata.user_id}), one of the user's Stripe customers, or one of the user's invoices or lines (in
 * {@code metadata}). Kept, since each event id must stay known (a replay changes nothing) and analytics
 * counts payment events; on erase the payload's user id becomes the pseudonym, the personal fields Stripe
 * sends along ({@code customer_email}, {@code customer_name}, addresses, phones, a customer's name and
 * e-mail ...) become null, and the recorded outcome names the pseudonym.
 */
@Component
@Order(GdprOrder.WEBHOOK_EVENTS)
class WebhookEventData implements PersonalDataHolder {

    /** Fields Stripe fills with the person's details: nulled in an erased user's events, wherever they appear. */
    static final Set<String> PERSONAL_FIELDS = Set.of("customer_email", "customer_name", "customer_address", "customer_phone",
            "customer_shipping", "customer_tax_ids", "billing_details", "receipt_email", "email", "phone", "address", "shipping",
            "account_name");

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private record Event(String eventId, String type, String created, String receivedAt, String outcome, String payload) {
    }

    private final JdbcClient jdbc;

    WebhookEventData(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public String kind() {
        return "webhook_events";
    }

    /** What identifies the user's events: the ids (old, and the pseudonym during an erase), customers and invoices. */
    private record Marks(Set<String> users, Set<String> customers, Set<String> invoices) {

        boolean matches(JsonNode node) {
            if (node.isString()) {
                String s = node.asString();
                if (users.contains(s) || customers.contains(s) || invoices.contains(s)) {
                    return true;
                }
                int slash = s.indexOf('/');
                return slash > 0 && invoices.contains(s.substring(0, slash));
            }
            for (JsonNode child : node.values()) {
                if (matches(child)) {
                    return true;
                }
            }
            return false;
        }
    }

    private Marks marks(List<String> users) {
        Set<String> customers = new LinkedHashSet<>();
        Set<String> invoices = new LinkedHashSet<>();
        for (String user : users) {
            customers.addAll(jdbc.sql("SELECT customer_id FROM stripe_customers WHERE user_id = :u UNION SELECT stripe_customer_id FROM "
                    + "subscription_changes WHERE user_id = :u AND stripe_customer_id IS NOT NULL UNION SELECT stripe_customer_id FROM subscriptions "
                    + "WHERE user_id = :u AND stripe_customer_id IS NOT NULL").param("u", user).query(String.class).list());
            invoices.addAll(jdbc.sql("SELECT invoice_id FROM invoices WHERE user_id = ?").param(user).query(String.class).list());
        }
        return new Marks(new LinkedHashSet<>(users), customers, invoices);
    }

    /** The user's events, oldest first: candidates by text search (the user id, which invoice ids contain, or a customer id), then exact. */
    private List<Event> eventsOf(UserId user, Marks marks) {
        List<String> needles = new ArrayList<>();
        needles.add(user.value());
        needles.addAll(marks.customers());
        StringBuilder where = new StringBuilder();
        for (int i = 0; i < needles.size(); i++) {
            where.append(i == 0 ? "" : " OR ").append("payload LIKE ? ESCAPE '\\'");
        }
        List<Object> params = needles.stream().map(n -> (Object) ("%" + n.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"))
                .toList();
        List<Event> events = jdbc.sql("SELECT event_id, type, created, received_at, outcome, payload FROM webhook_events WHERE " + where
                + " ORDER BY received_at, event_id").params(params)
                .query((rs, n) -> new Event(rs.getString(1), rs.getString(2), Rows.instant(rs, "created"), Rows.instant(rs, "received_at"),
                        rs.getString(5), rs.getString(6)))
                .list();
        List<Event> ours = new ArrayList<>();
        for (Event event : events) {
            JsonNode payload;
            try {
                payload = JSON.readTree(event.payload());
            } catch (RuntimeException e) {
                continue;
            }
            if (marks.matches(payload)) {
                ours.add(event);
            }
        }
        return ours;
    }

    @Override
    public long count(UserId user) {
        return eventsOf(user, marks(List.of(user.value()))).size();
    }

    @Override
    public Optional<Object> export(UserId user) {
        List<Event> events = eventsOf(user, marks(List.of(user.value())));
        if (events.isEmpty()) {
            return Optional.empty();
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Event e : events) {
            rows.add(Rows.map("event_id", e.eventId(), "type", e.type(), "created", e.created(), "received_at", e.receivedAt(),
                    "outcome", e.outcome(), "payload", JSON.readTree(e.payload())));
        }
        return Optional.of(rows);
    }

    @Override
    public Erased erase(UserId user, UserId pseudonym) {
        // The invoices and customers are the pseudonym's already when this runs (GdprOrder): look under both.
        List<Event> events = eventsOf(user, marks(List.of(user.value(), pseudonym.value())));
        for (Event e : events) {
            JsonNode payload = JSON.readTree(e.payload());
            scrub(payload, user.value(), pseudonym.value());
            jdbc.sql("UPDATE webhook_events SET payload = ?, outcome = ? WHERE event_id = ?")
                    .params(JSON.writeValueAsString(payload), Pseudonyms.replaceId(e.outcome(), user, pseudonym), e.eventId())
                    .update();
        }
        return new Erased(0, events.size());
    }

    /** The user id becomes the pseudonym wherever it is a whole string value; the person's details become null. */
    static void scrub(JsonNode node, String user, String pseudonym) {
        if (node instanceof ObjectNode object) {
            boolean customer = "customer".equals(object.path("object").asString(""));
            for (String name : new ArrayList<>(object.propertyNames())) {
                JsonNode child = object.get(name);
                if ((PERSONAL_FIELDS.contains(name) || (customer && (name.equals("name") || name.equals("description")))) && !child.isNull()) {
                    object.putNull(name);
                } else if (child.isString() && child.asString().equals(user)) {
                    object.put(name, pseudonym);
                } else {
                    scrub(child, user, pseudonym);
                }
            }
        } else if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                JsonNode child = array.get(i);
                if (child.isString() && child.asString().equals(user)) {
                    array.set(i, pseudonym);
                } else {
                    scrub(child, user, pseudonym);
                }
            }
        }
    }
}
