/**
 * CORS for the endpoints a browser-based RP calls directly (discovery, JWKS,
 * token, userinfo, revocation). They authenticate by bearer token or client
 * credentials in the request, never by cookie, so any origin may call them
 * and credentials mode is never allowed.
 */

/** Adds the CORS response headers. */
export const withCors = (response: Response): Response => {
  response.headers.set("access-control-allow-origin", "*")
  response.headers.set("access-control-expose-headers", "www-authenticate, dpop-nonce")
  return response
}

/** Answers a CORS preflight for `methods`. */
export const corsPreflight = (methods: ReadonlyArray<string>): Response =>
  withCors(new Response(null, {
    status: 204,
    headers: {
      "access-control-allow-methods": methods.join(", "),
      "access-control-allow-headers": "authorization, content-type, dpop",
      "access-control-max-age": "600"
    }
  }))
