package com.acme.billing.stripe;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/** {@code serve}'s Stripe endpoint. The body is taken as bytes: the signature covers exactly what Stripe sent. */
@RestController
public class StripeWebhookController {

    private final StripeWebhooks webhooks;

    public StripeWebhookController(StripeWebhooks webhooks) {
        this.webhooks = webhooks;
    }

    @PostMapping("/webhooks/stripe")
    public ResponseEntity<Map<String, Object>> receive(@RequestBody(required = false) byte[] body,
            @RequestHeader(value = "Stripe-Signature", required = false) String signature) {
        StripeWebhooks.Outcome outcome = webhooks.receive(body == null ? "" : new String(body, StandardCharsets.UTF_8), signature);
        return ResponseEntity.status(outcome.status()).body(outcome.status() == 200
                ? Map.of("received", true, "outcome", outcome.message())
                : Map.of("error", outcome.message()));
    }
}
