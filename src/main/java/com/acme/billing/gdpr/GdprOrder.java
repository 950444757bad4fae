package com.acme.billing.gdpr;

/** The order of the holders: the sections of the export document, and the order in which erase runs them. */
public final class GdprOrder {

    public static final int PROFILE = 10;
    public static final int SUBSCRIPTION = 20;
    public static final int USAGE = 30;
    public static final int INVOICES = 40;
    public static final int STRIPE = 50;
    /** After the invoices and Stripe's customers: it finds the user's events by their ids (old or pseudonym). */
    public static final int WEBHOOK_EVENTS = 60;
    public static final int ALERTS = 70;
    public static final int ACCESS = 80;
    public static final int EXPERIMENTS = 90;

    private GdprOrder() {
    }
}
