-- One user's invoices, newest month first (the console's billing page and GET /api/billing/invoices): the
-- (period, user_id) index serves the jobs, which work a month at a time; this one serves a user at a time.
CREATE INDEX invoices_user_period ON invoices (user_id, period);
