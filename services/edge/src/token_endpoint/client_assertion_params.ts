/**
 * The `client_assertion` / `client_assertion_type` pair of a request (RFC 7521
 * §4.2, RFC 7523 §2.2). The edge only reads which client the assertion claims
 * to come from (its unverified `sub`) so the identity service knows whose keys
 * to verify it with; every check is the identity service's
 * (`authenticateClientAssertion`).
 */
import { JWT_BEARER_ASSERTION_TYPE, OAuthError } from "@authrim/contracts"
import { Effect } from "effect"
import type { Params } from "../http/request_params.ts"

/** A presented assertion and the client it names. */
export interface PresentedAssertion {
  readonly clientId: string
  readonly assertion: string
}

const invalidClient = (description: string) => new OAuthError({ code: "invalid_client", description })

/** The unverified `sub` of a compact JWS, or null for anything that is not one. */
const claimedSubject = (jwt: string): string | null => {
  const parts = jwt.split(".")
  if (parts.length !== 3 || parts[1] === undefined) return null
  try {
    const json = atob(parts[1].replace(/-/g, "+").replace(/_/g, "/"))
    const payload: unknown = JSON.parse(new TextDecoder().decode(Uint8Array.from(json, (c) => c.charCodeAt(0))))
    if (typeof payload !== "object" || payload === null || !("sub" in payload)) return null
    return typeof payload.sub === "string" && payload.sub !== "" ? payload.sub : null
  } catch {
    return null
  }
}

/** The assertion of the request, null when it carries none, `invalid_client` / `invalid_request` when malformed. */
export const presentedAssertion = (form: Params): Effect.Effect<PresentedAssertion | null, OAuthError> => {
  const type = form.get("client_assertion_type")
  const assertion = form.get("client_assertion")
  if (type === undefined && assertion === undefined) return Effect.succeed(null)
  if (type === undefined || assertion === undefined) {
    return Effect.fail(new OAuthError({ code: "invalid_request", description: "client_assertion and client_assertion_type go together" }))
  }
  if (type !== JWT_BEARER_ASSERTION_TYPE) return Effect.fail(invalidClient("unsupported client_assertion_type"))
  const clientId = claimedSubject(assertion)
  if (clientId === null) return Effect.fail(invalidClient("client_assertion is not a JWT with a sub"))
  const bodyId = form.get("client_id")
  // RFC 7521 §4.2: a client_id alongside the assertion must name the same client.
  if (bodyId !== undefined && bodyId !== clientId) return Effect.fail(invalidClient("client_id does not match the client assertion"))
  return Effect.succeed({ clientId, assertion })
}
