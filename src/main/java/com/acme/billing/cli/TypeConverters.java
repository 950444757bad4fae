package com.acme.billing.cli;

import com.acme.billing.access.Role;
import com.acme.billing.period.BillingPeriod;
import com.acme.billing.user.UserId;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import picocli.CommandLine;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Typed options: a bad period or instant is a bad invocation (exit 2) naming the option and the value. */
final class TypeConverters {

    private TypeConverters() {
    }

    static void register(CommandLine commandLine) {
        commandLine.registerConverter(BillingPeriod.class, new PeriodConverter());
        commandLine.registerConverter(Instant.class, new InstantConverter());
        commandLine.registerConverter(UserId.class, new UserIdConverter());
        commandLine.registerConverter(Role.class, new RoleConverter());
    }

    static final class PeriodConverter implements ITypeConverter<BillingPeriod> {
        @Override
        public BillingPeriod convert(String value) {
            try {
                return BillingPeriod.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException("'" + value + "' is not a month YYYY-MM such as 2026-10");
            }
        }
    }

    static final class InstantConverter implements ITypeConverter<Instant> {
        @Override
        public Instant convert(String value) {
            try {
                return Instant.parse(value);
            } catch (DateTimeParseException e) {
                throw new TypeConversionException("'" + value + "' is not an ISO-8601 instant such as 2026-11-01T00:00:00Z");
            }
        }
    }

    /** The same rule as at every other door (usage logs, subscription CSV, webhooks). */
    static final class UserIdConverter implements ITypeConverter<UserId> {
        @Override
        public UserId convert(String value) {
            try {
                return UserId.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    static final class RoleConverter implements ITypeConverter<Role> {
        @Override
        public Role convert(String value) {
            return Role.of(value).orElseThrow(() -> new TypeConversionException("not a role; the roles are " + Role.names()));
        }
    }
}
