-- The people behind the user ids (SPEC 11), from import-customers. Name, e-mail, address and VAT id are
-- stored encrypted only: each column holds the base64 text of a Tink AEAD (AES256-GCM) ciphertext whose
-- associated data is 'customers|<column>|<user_id>', so a value copied into another row or column does
-- not decrypt. Tink's ciphertext starts with the id of the key that made it; key_id repeats it for the
-- whole row (all four are written together), so that keys reencrypt finds the rows still under an older
-- key without decrypting anything. The country (ISO 3166-1 alpha-2) stays plain: see docs/security.md.
CREATE TABLE customers (
    user_id    VARCHAR(64)   NOT NULL PRIMARY KEY,
    name       VARCHAR(4096) NOT NULL,
    email      VARCHAR(4096) NOT NULL,
    address    VARCHAR(4096) NOT NULL,
    country    CHAR(2)       NOT NULL,
    vat_id     VARCHAR(4096) NOT NULL,
    key_id     BIGINT        NOT NULL,
    updated_at TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX customers_by_key ON customers (key_id, user_id);
