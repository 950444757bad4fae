-- Before user ids were checked at the Stripe webhook door (issue 10), a signed event could record any
-- metadata.user_id (say ../../x). Such a row would now stop close-period, reports and usage for every
-- user, since each of them reads every history. The rows move to *_refused tables, kept for an operator
-- to read (docs/decisions.md); everything else is untouched. Same rule as user.UserId (SPEC 2).
CREATE TABLE subscription_changes_refused AS SELECT * FROM subscription_changes WHERE user_id !~ '^[A-Za-z0-9._:@-]{1,64}$';
DELETE FROM subscription_changes WHERE user_id !~ '^[A-Za-z0-9._:@-]{1,64}$';
DELETE FROM subscriptions WHERE user_id !~ '^[A-Za-z0-9._:@-]{1,64}$';
CREATE TABLE stripe_customers_refused AS SELECT * FROM stripe_customers WHERE user_id !~ '^[A-Za-z0-9._:@-]{1,64}$';
DELETE FROM stripe_customers WHERE user_id !~ '^[A-Za-z0-9._:@-]{1,64}$';
