/**
 * The per-client FAPI 2.0 Security Profile switch (`fapi_profile:
 * fapi2_security`, migration 0023). What it adds to the rules every client
 * already gets (RFC 9207 `iss`, exact redirect_uri, S256-only PKCE, 60 s
 * codes, request_uri lifetimes under 600 s):
 * - authorization requests only through PAR (§5.3.2.2), and the pushed request
 *   names its redirect_uri;
 * - PKCE S256 even though the client is confidential;
 * - sender-constrained tokens: a DPoP proof at /token (§5.3.2.1; mTLS does not
 *   exist on Workers);
 * - client authentication with private_key_jwt only (the identity service
 *   refuses any other method for such a client when it is written).
 * Every refusal is `invalid_request` (RFC 6749/9126) or `invalid_dpop_proof`
 * (RFC 9449), the codes FAPI 2.0 expects from the underlying specs.
 */
import type { Client } from "@authrim/contracts"

/** Whether `client` opted into the FAPI 2.0 Security Profile. */
export const isFapi2Client = (client: Client): boolean => client.fapiProfile === "fapi2_security"
