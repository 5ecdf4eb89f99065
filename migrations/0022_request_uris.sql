-- identity: registered request_uri values (OIDC Dynamic Client Registration §2 `request_uris`, JAR RFC 9101 §5.2;
-- issue 14). A JSON array of https URLs (http only on a loopback host) from which /authorize may fetch this client's
-- request objects by reference. NULL or '[]': the client cannot pass request_uri by reference (PAR request_uris are
-- not affected: they are this provider's own).
ALTER TABLE oauth_clients ADD COLUMN request_uris TEXT;
