-- The catalog's feature_metrics (SPEC 8): a feature tied to a metric stops when that metric reaches a hard limit.
CREATE TABLE catalog_feature_metrics (
    catalog_version INTEGER      NOT NULL,
    feature_name    VARCHAR(128) NOT NULL,
    metric          VARCHAR(64)  NOT NULL,
    PRIMARY KEY (catalog_version, feature_name)
);
