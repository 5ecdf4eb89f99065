-- identity: pairwise subject identifiers (OpenID Connect Core 1.0 §8.1; issue 14).
--
-- subject_type: 'public' (the default: `sub` is the user id, as before) or 'pairwise' (`sub` is
-- base64url(HMAC-SHA256(PAIRWISE_SUBJECT_SECRET, sector "\n" user_id)), computed by the tokens worker).
-- sector_identifier_uri: NULL or the https URL of a JSON array of URIs holding every redirect_uri of the
-- client (OIDC Registration §5); the edge fetches and checks it at each registration / admin write. The
-- sector is its host, else the one host of the client's redirect_uris (a pairwise client whose redirect_uris
-- span several hosts must have a sector_identifier_uri; enforced when the client is written).
ALTER TABLE oauth_clients ADD COLUMN subject_type TEXT NOT NULL DEFAULT 'public' CHECK (subject_type IN ('public', 'pairwise'));
ALTER TABLE oauth_clients ADD COLUMN sector_identifier_uri TEXT;
