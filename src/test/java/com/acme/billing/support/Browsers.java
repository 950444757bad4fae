package com.acme.billing.support;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Playwright;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Playwright for Java driving Debian's Chromium (STACK-NOTES): no browser is downloaded; the driver's JavaScript
 * comes from Playwright's {@code driver} jar and runs on the machine's Node. {@code .ci/run} installs
 * {@code chromium} when it is missing; {@code BILLING_CHROMIUM} and {@code BILLING_NODE} point elsewhere.
 */
public final class Browsers {

    public static final Path CHROMIUM = Path.of(System.getenv().getOrDefault("BILLING_CHROMIUM", "/usr/bin/chromium"));
    public static final Path NODE = Path.of(System.getenv().getOrDefault("BILLING_NODE", "/usr/bin/node"));

    private Browsers() {
    }

    /** Why the browser tests cannot run here, or null when they can. */
    public static String missing() {
        if (!Files.isExecutable(CHROMIUM)) {
            return CHROMIUM + " is missing: apt-get install chromium (.ci/run does)";
        }
        if (!Files.isExecutable(NODE)) {
            return NODE + " is missing: Playwright's driver runs on Node";
        }
        return null;
    }

    public static Playwright playwright() {
        return Playwright.create(new Playwright.CreateOptions().setEnv(Map.of(
                "PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1",
                "PLAYWRIGHT_NODEJS_PATH", NODE.toString())));
    }

    public static Browser chromium(Playwright playwright) {
        return playwright.chromium().launch(new BrowserType.LaunchOptions().setExecutablePath(CHROMIUM).setHeadless(true)
                .setArgs(java.util.List.of("--no-sandbox")));
    }
}
