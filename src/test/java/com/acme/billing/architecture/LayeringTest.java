package com.acme.billing.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The house rules (issue 10): the command line on top, shared plumbing below, a pure domain core.
 * Each rule names the packages it keeps apart; a violation lists the offending class and call.
 */
class LayeringTest {

    /** Pure domain: values and rules, no I/O framework. */
    static final String[] DOMAIN = {"com.acme.billing.catalog", "com.acme.billing.rating", "com.acme.billing.subscription",
            "com.acme.billing.period", "com.acme.billing.money", "com.acme.billing.user", "com.acme.billing.analytics", "com.acme.billing.experiment",
            "com.acme.billing.audit"};

    /** Capabilities built on the domain and the plumbing. */
    static final String[] CAPABILITIES = {"com.acme.billing.ingest..", "com.acme.billing.invoice..", "com.acme.billing.stripe..",
            "com.acme.billing.report..", "com.acme.billing.nightly..", "com.acme.billing.ops..", "com.acme.billing.eventstore..",
            "com.acme.billing.catalog.store..", "com.acme.billing.subscription.store..", "com.acme.billing.access..", "com.acme.billing.tracking..",
            "com.acme.billing.analytics.job..", "com.acme.billing.experiment.store..", "com.acme.billing.gdpr..",
            "com.acme.billing.audit.store..", "com.acme.billing.customer..", "com.acme.billing.scaleout.."};

    static JavaClasses production;

    @BeforeAll
    static void importProductionClasses() {
        production = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("com.acme.billing");
    }

    @Test
    void nothingButTheEntryPointDependsOnTheCommandLine() {
        noClasses().that().resideOutsideOfPackage("com.acme.billing.cli..")
                .and().doNotHaveFullyQualifiedName("com.acme.billing.BillingApplication")
                .should().dependOnClassesThat().resideInAPackage("com.acme.billing.cli..")
                .check(production);
    }

    /** The HTTP API sits on top beside the command line: no capability, no plumbing, no command depends on it. */
    @Test
    void nothingDependsOnTheHttpApi() {
        noClasses().that().resideOutsideOfPackage("com.acme.billing.api..")
                .should().dependOnClassesThat().resideInAPackage("com.acme.billing.api..")
                .check(production);
    }

    /** The console's pages sit on top too, beside the API: built on the same capabilities, known by nothing. */
    @Test
    void nothingDependsOnTheConsole() {
        noClasses().that().resideOutsideOfPackage("com.acme.billing.console..")
                .should().dependOnClassesThat().resideInAPackage("com.acme.billing.console..")
                .check(production);
        noClasses().that().resideInAPackage("com.acme.billing.console..")
                .should().dependOnClassesThat().resideInAnyPackage("com.acme.billing.api..", "com.acme.billing.cli..")
                .check(production);
    }

    /** The domain may refuse input with the one shared exception (exit 2), and use nothing else of the plumbing. */
    @Test
    void theDomainKnowsNeitherSpringNorJdbcNorTheLayersAbove() {
        noClasses().that().resideInAnyPackage(DOMAIN)
                .should().dependOnClassesThat().resideInAnyPackage("org.springframework..", "java.sql..", "javax.sql..",
                        "com.acme.billing.cli..", "com.acme.billing.api..", "com.acme.billing.console..")
                .orShould().dependOnClassesThat(com.tngtech.archunit.base.DescribedPredicate.describe("plumbing other than InputRefusedException",
                        c -> c.getPackageName().startsWith("com.acme.billing.platform")
                                && !c.getName().equals("com.acme.billing.platform.InputRefusedException")))
                .orShould().dependOnClassesThat().resideInAnyPackage(CAPABILITIES)
                .check(production);
    }

    @Test
    void plumbingSitsBelowEveryCapability() {
        noClasses().that().resideInAPackage("com.acme.billing.platform..")
                .should().dependOnClassesThat().resideInAnyPackage(CAPABILITIES)
                .orShould().dependOnClassesThat().resideInAnyPackage(DOMAIN)
                .orShould().dependOnClassesThat().resideInAPackage("com.acme.billing.cli..")
                .check(production);
    }

    @Test
    void theEventStoreIsAPortThatKnowsNoneOfItsUsers() {
        noClasses().that().resideInAPackage("com.acme.billing.eventstore..")
                .should().dependOnClassesThat().resideInAnyPackage("com.acme.billing.ingest..", "com.acme.billing.invoice..",
                        "com.acme.billing.report..", "com.acme.billing.stripe..", "com.acme.billing.nightly..",
                        "com.acme.billing.ops..", "com.acme.billing.cli..")
                .check(production);
    }
}
