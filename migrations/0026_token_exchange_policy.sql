-- identity: a per-client OAuth 2.0 Token Exchange policy (RFC 8693; issue 14).
--
-- token_exchange_policy: NULL (the default: the client may not exchange tokens) or a JSON object
-- {"audiences": ["<audience or resource>", ...], "delegation": true}. `audiences` is the exact list of
-- `audience` / `resource` values the client may exchange a subject token into (compared as strings, no
-- prefix or pattern matching); `delegation` must be true for any exchange to be granted: every exchange is a
-- delegation (an actor_token is required and the issued token carries `act`), impersonation is never offered.
-- The client must also list urn:ietf:params:oauth:grant-type:token-exchange in grant_types and be confidential.
ALTER TABLE oauth_clients ADD COLUMN token_exchange_policy TEXT;
