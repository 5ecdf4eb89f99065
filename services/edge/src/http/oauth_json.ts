/**
 * JSON responses of the API endpoints (token, revocation, introspection,
 * userinfo). Every one carries `cache-control: no-store` and `pragma: no-cache`
 * (RFC 6749 §5.1): they hold tokens or say something about them.
 */
import { toWireError, type EdgeFailure, type WireError } from "@authrim/contracts"

/** A JSON body that must never be cached. */
export const noStoreJson = (body: unknown, status = 200, headers: HeadersInit = {}): Response => {
  const response = Response.json(body, { status, headers })
  response.headers.set("cache-control", "no-store")
  response.headers.set("pragma", "no-cache")
  return response
}

/** RFC 6749 §5.2 error body of a wire error. */
export const wireErrorJson = (wire: WireError, headers: HeadersInit = {}): Response =>
  noStoreJson({ error: wire.code, error_description: wire.description }, wire.status, headers)

/** Renders any typed failure as an RFC 6749 §5.2 error (status and code from `toWireError`). */
export const oauthErrorJson = (failure: EdgeFailure, headers: HeadersInit = {}): Response =>
  wireErrorJson(toWireError(failure), headers)
