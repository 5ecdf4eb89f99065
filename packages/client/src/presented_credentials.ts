/**
 * Reading a request's credentials (RFC 6750 §2.1, RFC 9449 §7.1): the
 * `Authorization: Bearer <token>` or `Authorization: DPoP <token>` header and
 * the single `DPoP` proof header. A form-body or query token (RFC 6750 §2.2,
 * §2.3) is not read: Workers APIs take the header.
 */
import { AccessTokenRefused, type PresentedScheme, type ResourceDpopProof } from "@authrim/contracts"
import { Effect } from "effect"
import { AccessTokenMissing } from "./client_errors.ts"

/** What a request presents. */
export interface PresentedCredentials {
  readonly token: string
  readonly scheme: PresentedScheme
  readonly dpop?: ResourceDpopProof
}

/** RFC 7235 token68, the syntax of b64token (RFC 6750 §2.1). */
const credentialsPattern = /^(bearer|dpop)[ ]+([A-Za-z0-9\-._~+/]+=*)[ ]*$/i

const refused = (error: "invalid_request" | "invalid_token" | "invalid_dpop_proof", description: string, scheme: PresentedScheme) =>
  new AccessTokenRefused({ error, description, scheme, status: error === "invalid_request" ? 400 : 401, nonce: null })

/**
 * The token, its scheme and (with a `DPoP` header) the proof with the
 * request's method and URL. `url` is the URL the client addressed, when a
 * proxy in front changed `request.url` (the proof's `htu` names it).
 */
export const presentedCredentials = (request: Request, url: string = request.url): Effect.Effect<PresentedCredentials, AccessTokenMissing | AccessTokenRefused> => {
  const authorization = request.headers.get("authorization")
  const proof = request.headers.get("dpop")
  if (authorization === null || !/^(bearer|dpop)\b/i.test(authorization.trim())) {
    // Another scheme (Basic…) carries no access token: the same as none.
    return Effect.fail(new AccessTokenMissing())
  }
  const match = credentialsPattern.exec(authorization.trim())
  const scheme: PresentedScheme = /^dpop/i.test(authorization.trim()) ? "DPoP" : "Bearer"
  if (match === null) return Effect.fail(refused("invalid_token", "the Authorization header does not carry a well-formed token", scheme))
  const token = match[2]!
  if (proof === null) return Effect.succeed({ token, scheme })
  // RFC 9449 §4.3 item 1: exactly one proof (several headers arrive joined by commas).
  if (proof.includes(",") || proof.trim() === "") return Effect.fail(refused("invalid_dpop_proof", "send exactly one DPoP proof", "DPoP"))
  return Effect.succeed({ token, scheme, dpop: { proof: proof.trim(), method: request.method, url } })
}
