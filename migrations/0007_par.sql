-- identity: RFC 9126 §6 client metadata `require_pushed_authorization_requests`.
-- 1: /authorize accepts this client's requests only through a pushed request_uri (PAR).
-- The edge var REQUIRE_PAR makes it true for every client.
ALTER TABLE oauth_clients ADD COLUMN require_pushed_authorization_requests INTEGER NOT NULL DEFAULT 0;
