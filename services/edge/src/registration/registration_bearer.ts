/**
 * The bearer token of a registration request (RFC 6750 §2.1): the initial
 * access token at `POST /register` (RFC 7591 §3), the registration access
 * token at the configuration endpoint (RFC 7592 §2). Only the Authorization
 * header: a token in the query would end up in logs. "Bearer" is matched
 * case-insensitively; anything malformed counts as no token.
 */

/** The presented bearer token, or null. */
export const bearerTokenOf = (request: Request): string | null => {
  const header = request.headers.get("authorization")
  if (header === null) return null
  const match = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i.exec(header)
  return match === null ? null : match[1]!
}
