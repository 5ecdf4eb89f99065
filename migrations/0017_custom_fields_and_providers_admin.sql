-- identity: custom field definitions, scope-mapping and identity-provider administration (issue 12 §1, §4).
--
-- An admin-defined attribute of users. Values stay in user_custom_fields (one row per user and field, text),
-- checked against the definition on every write by identity (src/custom_fields/); released as claims only
-- through scope_mappings (source_table 'user_custom_fields', source_column = name), typed by `field_type`
-- (number and boolean become JSON numbers and booleans). `version` is the admin API's ETag (+1 per write).
-- Deleting a definition deletes its values and its scope mappings in the same batch (no FK: the values'
-- field_name is not a foreign key, so rows written before this migration stay valid).
CREATE TABLE custom_field_definitions (
  name TEXT PRIMARY KEY,                    -- [a-z][a-z0-9_]{0,47}; the user_custom_fields.field_name
  field_type TEXT NOT NULL CHECK (field_type IN ('string', 'number', 'boolean', 'date', 'enum')),
  validation_json TEXT NOT NULL DEFAULT '{}', -- {maxLength?, pattern?, min?, max?, enumValues?} (contracts/src/custom_fields.ts)
  label_en TEXT NOT NULL,
  label_ja TEXT NOT NULL,
  user_editable INTEGER NOT NULL DEFAULT 0, -- 1: the user may change it on /account/profile
  required INTEGER NOT NULL DEFAULT 0,      -- 1: a value, once set, cannot be cleared
  version INTEGER NOT NULL DEFAULT 1,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
) WITHOUT ROWID;

-- Identity providers become versioned records of the admin API (If-Match; every write +1).
ALTER TABLE identity_providers ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
