-- identity: a per-client FAPI 2.0 Security Profile switch (issue 14).
--
-- fapi_profile: NULL (no profile) or 'fapi2_security'. Such a client must authenticate with private_key_jwt
-- (enforced when the client is written); the edge then requires pushed authorization requests (with a
-- redirect_uri), PKCE S256 and a DPoP proof at /token, besides what every client gets (RFC 9207 `iss`,
-- 60 s codes, exact redirect_uri matching).
ALTER TABLE oauth_clients ADD COLUMN fapi_profile TEXT;
