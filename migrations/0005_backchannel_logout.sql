-- identity: OpenID Connect Back-Channel Logout 1.0 §2.2 client metadata.
-- backchannel_logout_uri: where logout tokens are POSTed (NULL: the client is not told).
-- backchannel_logout_session_required: the RP wants `sid` in logout tokens (Authrim always sends it).
ALTER TABLE oauth_clients ADD COLUMN backchannel_logout_uri TEXT;
ALTER TABLE oauth_clients ADD COLUMN backchannel_logout_session_required INTEGER NOT NULL DEFAULT 0;
