-- Stripe forgets idempotency keys after 24 hours (SPEC 6). A push therefore records, and commits, that
-- it is about to send before any request leaves: a push resumed later (after a kill, a day's outage)
-- looks up at Stripe what such a request may have created instead of creating it a second time.

-- stripe_pushes.status 'sending': a request for the line was sent, or may have been, and its answer
-- is not recorded. attempt_started_at: when the first such unanswered request started, by this
-- machine's wall clock (not BILLING_NOW), to bound the look-up by Stripe's created time.
ALTER TABLE stripe_pushes ADD COLUMN attempt_started_at TIMESTAMP WITH TIME ZONE;

-- A user whose customer creation was sent, or may have been, without a recorded answer (the customer
-- id, recorded in stripe_customers, or Stripe's refusal, which deletes the row).
CREATE TABLE stripe_customer_attempts (
    user_id    VARCHAR(64) PRIMARY KEY,
    started_at TIMESTAMP WITH TIME ZONE NOT NULL
);
