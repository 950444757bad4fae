package com.acme.billing.catalog.store;

import com.acme.billing.catalog.Catalog;
import com.acme.billing.catalog.OverageRule;
import com.acme.billing.catalog.Tier;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Catalog versions in the billing database; the latest version is the one new periods rate with. */
@Repository
public class CatalogRepository {

    public record StoredCatalog(int version, String sha256, Catalog catalog) {
    }

    private final JdbcClient jdbc;

    public CatalogRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * The newest version. A stored version never changes, so the last one read is kept and only the
     * version number is asked for each time: serve's API reads the catalog on every request, and
     * loading it whole (six queries) was most of a feature check (docs/benchmarks.md).
     */
    public Optional<StoredCatalog> latest() {
        Optional<Integer> version = jdbc.sql("SELECT MAX(version) FROM catalog_versions").query(Integer.class).optional();
        if (version.isEmpty()) {
            return Optional.empty();
        }
        StoredCatalog cached = lastRead;
        if (cached == null || cached.version() != version.get()) {
            cached = load(version.get());
            lastRead = cached;
        }
        return Optional.of(cached);
    }

    private volatile StoredCatalog lastRead;

    /** Stores a new version and makes {@code feature_access} reflect it. Call inside a transaction. */
    public int save(Catalog catalog, String sha256, String source, Instant now) {
        int version = jdbc.sql("SELECT COALESCE(MAX(version), 0) + 1 FROM catalog_versions").query(Integer.class).single();
        jdbc.sql("INSERT INTO catalog_versions (version, sha256, currency, grace_period_days, metrics, source_file, imported_at) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?)")
                .params(version, sha256, catalog.currency(), catalog.gracePeriodDays(), String.join(",", catalog.metrics()),
                        source, OffsetDateTime.ofInstant(now, ZoneOffset.UTC))
                .update();
        for (Tier tier : catalog.tiers().values()) {
            jdbc.sql("INSERT INTO tiers (catalog_version, tier, monthly_price, trial_days) VALUES (?, ?, ?, ?)")
                    .params(version, tier.name(), tier.monthlyPrice(), tier.trialDays()).update();
            for (String metric : catalog.metrics()) {
                jdbc.sql("INSERT INTO tier_limits (catalog_version, tier, metric, included) VALUES (?, ?, ?, ?)")
                        .params(version, tier.name(), metric, tier.limits().get(metric)).update();
                OverageRule rule = tier.overage().get(metric);
                if (rule != null) {
                    insertRule(version, tier.name(), metric, rule.stored());
                }
            }
        }
        for (Map.Entry<String, String> tie : catalog.featureMetrics().entrySet()) {
            jdbc.sql("INSERT INTO catalog_feature_metrics (catalog_version, feature_name, metric) VALUES (?, ?, ?)")
                    .params(version, tie.getKey(), tie.getValue()).update();
        }
        jdbc.sql("DELETE FROM feature_access").update();
        for (Tier tier : catalog.tiers().values()) {
            for (String feature : tier.features()) {
                jdbc.sql("INSERT INTO feature_access (tier, feature_name, enabled) VALUES (?, ?, ?)")
                        .params(tier.name(), feature, true).update();
            }
        }
        return version;
    }

    private void insertRule(int version, String tier, String metric, OverageRule.Stored rule) {
        jdbc.sql("INSERT INTO overage_rules (catalog_version, tier, metric, kind, unit_price, package_size, package_price) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?)")
                .params(version, tier, metric, rule.kind(), rule.unitPrice(), rule.packageSize(), rule.packagePrice()).update();
        int bandNo = 1;
        for (OverageRule.Band band : rule.bands()) {
            jdbc.sql("INSERT INTO overage_bands (catalog_version, tier, metric, band_no, up_to, unit_price) VALUES (?, ?, ?, ?, ?, ?)")
                    .params(version, tier, metric, bandNo++, band.upTo(), band.unitPrice()).update();
        }
    }

    /** A tier's metric: where an overage rule and its bands belong. */
    private record TierMetric(String tier, String metric) {
    }

    public StoredCatalog load(int version) {
        record Head(String sha256, String currency, int grace, String metrics) {
        }
        Head head = jdbc.sql("SELECT sha256, currency, grace_period_days, metrics FROM catalog_versions WHERE version = ?")
                .param(version)
                .query((rs, n) -> new Head(rs.getString(1), rs.getString(2), rs.getInt(3), rs.getString(4)))
                .single();
        List<String> metrics = Arrays.asList(head.metrics().split(","));
        Map<String, Map<String, Long>> limits = new HashMap<>();
        jdbc.sql("SELECT tier, metric, included FROM tier_limits WHERE catalog_version = ?").param(version)
                .query(rs -> {
                    limits.computeIfAbsent(rs.getString(1), t -> new LinkedHashMap<>()).put(rs.getString(2), rs.getLong(3));
                });
        Map<TierMetric, List<OverageRule.Band>> bands = new HashMap<>();
        jdbc.sql("SELECT tier, metric, up_to, unit_price FROM overage_bands WHERE catalog_version = ? ORDER BY tier, metric, band_no")
                .param(version)
                .query(rs -> {
                    long upTo = rs.getLong(3);
                    Long bound = rs.wasNull() ? null : upTo;
                    bands.computeIfAbsent(new TierMetric(rs.getString(1), rs.getString(2)), k -> new ArrayList<>())
                            .add(new OverageRule.Band(bound, strip(rs.getBigDecimal(4))));
                });
        Map<String, Map<String, OverageRule>> rules = new HashMap<>();
        jdbc.sql("SELECT tier, metric, kind, unit_price, package_size, package_price FROM overage_rules WHERE catalog_version = ?")
                .param(version)
                .query(rs -> {
                    String tier = rs.getString(1);
                    String metric = rs.getString(2);
                    long size = rs.getLong(5);
                    Long packageSize = rs.wasNull() ? null : size;
                    OverageRule rule = new OverageRule.Stored(rs.getString(3), strip(rs.getBigDecimal(4)), packageSize,
                            strip(rs.getBigDecimal(6)), bands.getOrDefault(new TierMetric(tier, metric), List.of())).rule();
                    rules.computeIfAbsent(tier, t -> new HashMap<>()).put(metric, rule);
                });
        Map<String, List<String>> features = new HashMap<>();
        Map<String, Tier> tiers = new LinkedHashMap<>();
        // feature_access mirrors the latest version only; older versions' features are not kept.
        jdbc.sql("SELECT tier, feature_name FROM feature_access ORDER BY id")
                .query(rs -> {
                    features.computeIfAbsent(rs.getString(1), t -> new ArrayList<>()).add(rs.getString(2));
                });
        jdbc.sql("SELECT tier, monthly_price, trial_days FROM tiers WHERE catalog_version = ? ORDER BY tier").param(version)
                .query(rs -> {
                    String tier = rs.getString(1);
                    tiers.put(tier, new Tier(tier, strip(rs.getBigDecimal(2)), rs.getInt(3), limits.getOrDefault(tier, Map.of()),
                            rules.getOrDefault(tier, Map.of()), features.getOrDefault(tier, List.of())));
                });
        Map<String, String> featureMetrics = new LinkedHashMap<>();
        jdbc.sql("SELECT feature_name, metric FROM catalog_feature_metrics WHERE catalog_version = ? ORDER BY feature_name").param(version)
                .query(rs -> {
                    featureMetrics.put(rs.getString(1), rs.getString(2));
                });
        return new StoredCatalog(version, head.sha256(), new Catalog(head.currency(), head.grace(), metrics, tiers, featureMetrics));
    }

    /** NUMERIC(19,6) comes back with six decimals; prices are compared and printed as written. */
    private static BigDecimal strip(BigDecimal value) {
        if (value == null) {
            return null;
        }
        BigDecimal stripped = value.stripTrailingZeros();
        return stripped.scale() < 0 ? stripped.setScale(0) : stripped;
    }
}
