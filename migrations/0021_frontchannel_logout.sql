-- identity: OpenID Connect Front-Channel Logout 1.0 client metadata (issue 14).
--
-- frontchannel_logout_uri: the RP page the provider loads in an invisible iframe when the user signs out at
-- /end_session (https; http only for localhost / 127.0.0.1). NULL: the RP is not told this way.
-- frontchannel_logout_session_required: §2 — the RP asks for `iss` and `sid` on that URL. Authrim sends both to
-- every front-channel RP (its ID tokens always carry `sid`); the flag is kept and answered as registered.
ALTER TABLE oauth_clients ADD COLUMN frontchannel_logout_uri TEXT;
ALTER TABLE oauth_clients ADD COLUMN frontchannel_logout_session_required INTEGER NOT NULL DEFAULT 0;
