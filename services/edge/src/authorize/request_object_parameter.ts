/**
 * Signed request objects by value (JAR, RFC 9101 §6.3, OIDC Core §6.1): the
 * `request` JWT is verified by the identity service with the client's keys,
 * then its claims REPLACE the query parameters — only `client_id` is taken
 * from the outside (it names whose keys verify the object, and must match
 * the object's `client_id`), and a `response_type` present on both sides
 * must agree. JWT registered claims (`iss`, `aud`, `exp`…) are not request
 * parameters and are dropped; an object carrying `request`/`request_uri` is
 * refused (RFC 9101 §4 "MUST NOT").
 */
import { OAuthError, type EdgeFailure } from "@authrim/contracts"
import { Effect } from "effect"
import { Edge } from "../edge_layer.ts"

/** JWT claims of the envelope, not parameters of the authorization request. */
const envelopeClaims = new Set(["iss", "aud", "exp", "nbf", "iat", "jti"])

const invalidRequestObject = (description: string) => new OAuthError({ code: "invalid_request_object", description })

/** A claim as a request parameter: strings as they are, other JSON (`max_age`, `claims`) serialized. */
const parameterValue = (value: unknown): string => typeof value === "string" ? value : JSON.stringify(value)

/** Whether `search` carries a request object by value. */
export const hasRequestObject = (search: URLSearchParams): boolean => search.has("request")

/** `search` without its request object: what the redirect target is resolved from when the object is refused. */
export const withoutRequestObject = (search: URLSearchParams): URLSearchParams => {
  const outer = new URLSearchParams(search)
  outer.delete("request")
  return outer
}

/** The authorization request carried by the verified `request` JWT of `search`. */
export const expandRequestObject = Effect.fnUntraced(function*(issuer: string, search: URLSearchParams): Effect.fn.Return<URLSearchParams, EdgeFailure, Edge> {
  const { backends } = yield* Edge
  const objects = search.getAll("request")
  const clientIds = search.getAll("client_id")
  if (objects.length !== 1 || clientIds.length !== 1 || clientIds[0] === "") {
    return yield* new OAuthError({ code: "invalid_request", description: "request and client_id must each be sent once" })
  }
  if (search.has("request_uri")) return yield* new OAuthError({ code: "invalid_request", description: "request and request_uri are mutually exclusive" })
  const clientId = clientIds[0]!
  const { claims } = yield* backends.clientAuth.verifyRequestObject({ clientId, requestObject: objects[0]!, issuer }).pipe(
    Effect.catchTag("NotFound", () => Effect.fail(invalidRequestObject("unknown client")))
  )
  if ("request" in claims || "request_uri" in claims) return yield* invalidRequestObject("a request object must not contain request or request_uri")
  if (claims["client_id"] !== undefined && claims["client_id"] !== clientId) {
    return yield* invalidRequestObject("client_id of the request object does not match the query")
  }
  const outerResponseType = search.get("response_type")
  if (outerResponseType !== null && claims["response_type"] !== undefined && claims["response_type"] !== outerResponseType) {
    return yield* invalidRequestObject("response_type of the request object does not match the query")
  }
  const parameters = new URLSearchParams()
  for (const [name, value] of Object.entries(claims)) {
    if (envelopeClaims.has(name) || value === undefined || value === null) continue
    // RFC 8707 §2 in a request object: `resource` is a string or an array of strings (one parameter each).
    if (name === "resource" && Array.isArray(value)) {
      if (!value.every((v): v is string => typeof v === "string")) return yield* invalidRequestObject("resource must be a string or an array of strings")
      for (const resource of value) parameters.append(name, resource)
    } else parameters.set(name, parameterValue(value))
  }
  parameters.set("client_id", clientId)
  return parameters
})
