-- identity: RFC 8707 resource indicators a client may name (issue 14).
--
-- resources: NULL (the default) or a JSON array of at most 10 absolute URIs without a fragment, e.g.
-- ["https://api.example.com/notes"]. A `resource` parameter at /authorize, /par (also inside a request object) or
-- /token must be one of them (exact string match), else `invalid_target`; the access token's `aud` is then the
-- resource(s) named instead of `<issuer>/userinfo`. NULL or '[]': the client may not name any resource.
-- Set through the admin API, the seed file and the admin console; never through dynamic registration.
ALTER TABLE oauth_clients ADD COLUMN resources TEXT;
