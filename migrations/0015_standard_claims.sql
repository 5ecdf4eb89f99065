-- Issue 12 §4: every OIDC standard claim (OIDC Core §5.1) stored on the users row, so a token or
-- /userinfo releases them from the ONE users row it already reads (no custom-field join).
-- Written only through identity's updateUserProfile (validated there; see services/identity/storage-schema.md).
ALTER TABLE users ADD COLUMN given_name TEXT;
ALTER TABLE users ADD COLUMN family_name TEXT;
ALTER TABLE users ADD COLUMN middle_name TEXT;
ALTER TABLE users ADD COLUMN nickname TEXT;
ALTER TABLE users ADD COLUMN preferred_username TEXT;
ALTER TABLE users ADD COLUMN profile TEXT;            -- https URL
ALTER TABLE users ADD COLUMN website TEXT;            -- https URL
ALTER TABLE users ADD COLUMN gender TEXT;
ALTER TABLE users ADD COLUMN birthdate TEXT;          -- YYYY or YYYY-MM-DD (ISO 8601)
ALTER TABLE users ADD COLUMN zoneinfo TEXT;           -- IANA time zone, e.g. Europe/Paris
ALTER TABLE users ADD COLUMN locale TEXT;             -- BCP 47, e.g. ja-JP
ALTER TABLE users ADD COLUMN phone_number TEXT;       -- E.164, e.g. +81312345678
ALTER TABLE users ADD COLUMN phone_number_verified INTEGER NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN address TEXT;            -- JSON object, OIDC Core §5.1.1

-- Values the 0001 mappings released from user_custom_fields move to the columns (the custom-field rows stay,
-- unreleased, so nothing is lost; an admin may delete them).
UPDATE users SET
  given_name = (SELECT f.field_value FROM user_custom_fields f WHERE f.user_id = users.id AND f.field_name = 'given_name'),
  family_name = (SELECT f.field_value FROM user_custom_fields f WHERE f.user_id = users.id AND f.field_name = 'family_name'),
  locale = (SELECT f.field_value FROM user_custom_fields f WHERE f.user_id = users.id AND f.field_name = 'locale'),
  phone_number = (SELECT f.field_value FROM user_custom_fields f WHERE f.user_id = users.id AND f.field_name = 'phone_number'),
  phone_number_verified = COALESCE((SELECT CASE WHEN f.field_value IN ('true', '1') THEN 1 ELSE 0 END FROM user_custom_fields f
    WHERE f.user_id = users.id AND f.field_name = 'phone_number_verified'), 0),
  address = (SELECT CASE WHEN json_valid(f.field_value) AND json_type(f.field_value) = 'object' THEN f.field_value
    ELSE json_object('formatted', f.field_value) END FROM user_custom_fields f WHERE f.user_id = users.id AND f.field_name = 'address')
WHERE EXISTS (SELECT 1 FROM user_custom_fields f WHERE f.user_id = users.id
  AND f.field_name IN ('given_name', 'family_name', 'locale', 'phone_number', 'phone_number_verified', 'address'));

-- Released per scope as OIDC Core §5.4 says: profile, email, phone, address. Standard claims now come from users.
DELETE FROM scope_mappings WHERE source_table = 'user_custom_fields' AND claim_name IN
  ('given_name', 'family_name', 'middle_name', 'nickname', 'preferred_username', 'profile', 'picture', 'website',
   'gender', 'birthdate', 'zoneinfo', 'locale', 'phone_number', 'phone_number_verified', 'address');
INSERT INTO scope_mappings (scope, claim_name, source_table, source_column) VALUES
  ('profile', 'given_name', 'users', 'given_name'),
  ('profile', 'family_name', 'users', 'family_name'),
  ('profile', 'middle_name', 'users', 'middle_name'),
  ('profile', 'nickname', 'users', 'nickname'),
  ('profile', 'preferred_username', 'users', 'preferred_username'),
  ('profile', 'profile', 'users', 'profile'),
  ('profile', 'website', 'users', 'website'),
  ('profile', 'gender', 'users', 'gender'),
  ('profile', 'birthdate', 'users', 'birthdate'),
  ('profile', 'zoneinfo', 'users', 'zoneinfo'),
  ('profile', 'locale', 'users', 'locale'),
  ('phone', 'phone_number', 'users', 'phone_number'),
  ('phone', 'phone_number_verified', 'users', 'phone_number_verified'),
  ('address', 'address', 'users', 'address')
ON CONFLICT (scope, claim_name) DO UPDATE SET source_table = excluded.source_table, source_column = excluded.source_column;
