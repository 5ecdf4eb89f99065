-- Issue 12 §5: branding of every hosted page and email (contracts/src/branding.ts), owned by identity.
-- One row, id = 'default', created here at version 0 (the defaults) so every write is one conditional
-- UPDATE … WHERE version = ? (If-Match; exactly one of racing writers wins). custom_css (0001) stays
-- unused on purpose: see services/identity/storage-schema.md "branding_settings".
ALTER TABLE branding_settings ADD COLUMN product_name TEXT;
ALTER TABLE branding_settings ADD COLUMN primary_color_dark TEXT;  -- #rrggbb
ALTER TABLE branding_settings ADD COLUMN background_color TEXT;    -- #rrggbb
ALTER TABLE branding_settings ADD COLUMN support_url TEXT;         -- https URL
ALTER TABLE branding_settings ADD COLUMN support_email TEXT;
ALTER TABLE branding_settings ADD COLUMN privacy_policy_url TEXT;  -- https URL
ALTER TABLE branding_settings ADD COLUMN terms_url TEXT;           -- https URL
ALTER TABLE branding_settings ADD COLUMN footer_text TEXT;
ALTER TABLE branding_settings ADD COLUMN version INTEGER NOT NULL DEFAULT 0;
ALTER TABLE branding_settings ADD COLUMN updated_by TEXT;

INSERT OR IGNORE INTO branding_settings (id, updated_at, version) VALUES ('default', 0, 0);
