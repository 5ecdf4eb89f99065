/**
 * Errors of the endpoints that authenticate clients (token, revocation,
 * introspection): RFC 6749 §5.2 JSON via `toWireError`. When the client tried
 * HTTP Basic, a 401 names the Basic scheme in `WWW-Authenticate` (RFC 6749
 * §5.2: "MUST … matching the authentication scheme used by the client").
 * Other methods get no challenge: there is no HTTP scheme to name, and
 * clients such as openid-client read any challenge instead of the JSON body.
 */
import { toWireError, type EdgeFailure } from "@authrim/contracts"
import { wireErrorJson } from "../http/oauth_json.ts"

/** True when the request carries `Authorization: Basic …`. */
const usedBasic = (request: Request) => /^basic\b/i.test(request.headers.get("authorization") ?? "")

/** The JSON error response of a client-authenticated endpoint. */
export const clientEndpointError = (request: Request, failure: EdgeFailure): Response => {
  const wire = toWireError(failure)
  const challenge = wire.status === 401 && usedBasic(request)
  return wireErrorJson(wire, challenge ? { "www-authenticate": `Basic realm="authrim", charset="UTF-8"` } : {})
}
