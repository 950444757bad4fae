package com.acme.billing.stripe;

import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * What {@code webhook_events.payload} keeps of a Stripe event (SPEC 11: no card data, no customers' personal data in
 * clear). An event of a type the product uses (subscriptions, invoice payments) is kept without the fields where
 * Stripe puts a person's name, e-mail, phone, address, tax ids or card details: nothing of ours reads them (the
 * profile behind a user id comes from import-customers, stored encrypted). An event of any other type (a charge, a
 * payment method, a customer) is kept as its id, type and creation time only: its body is not used.
 */
final class StoredPayloads {

    /** Keys dropped wherever they appear in a kept event. */
    static final Set<String> PERSONAL = Set.of("customer_email", "customer_name", "customer_address", "customer_phone", "customer_shipping",
            "customer_tax_ids", "account_tax_ids", "billing_details", "shipping", "shipping_details", "payment_method_details", "card",
            "source", "email", "phone", "address", "tax_ids", "receipt_email");

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private StoredPayloads() {
    }

    static String of(JsonNode event, boolean used) {
        if (!used) {
            ObjectNode kept = JSON.createObjectNode();
            kept.set("id", event.path("id"));
            kept.set("type", event.path("type"));
            if (event.has("created")) {
                kept.set("created", event.path("created"));
            }
            kept.put("body", "not kept: the event's type is not used");
            return JSON.writeValueAsString(kept);
        }
        return JSON.writeValueAsString(withoutPersonal(event.deepCopy()));
    }

    private static JsonNode withoutPersonal(JsonNode node) {
        if (node instanceof ObjectNode object) {
            object.remove(PERSONAL);
            object.properties().forEach(e -> withoutPersonal(e.getValue()));
        } else if (node instanceof ArrayNode array) {
            array.forEach(StoredPayloads::withoutPersonal);
        }
        return node;
    }
}
