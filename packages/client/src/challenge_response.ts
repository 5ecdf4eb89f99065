/**
 * The answer to a refused request (RFC 6750 §3, RFC 9449 §7.1): status 401 /
 * 403 / 400 with a `WWW-Authenticate` challenge of the right scheme and a JSON
 * body `{ error, error_description }`. Without credentials the challenge has
 * no error code (RFC 6750 §3.1) and offers both schemes.
 */
import { dpopSigningAlgs, type AccessTokenRefused } from "@authrim/contracts"

/** Quoted-string content: `"` and `\` are dropped rather than escaped (clients parse them inconsistently). */
const quoted = (value: string): string => `"${value.replace(/["\\]/g, "")}"`

const dpopAlgs = `algs=${quoted(dpopSigningAlgs.join(" "))}`

/** The `WWW-Authenticate` value for a refusal. */
export const challengeOf = (refusal: AccessTokenRefused, realm: string): string => {
  const params = [`realm=${quoted(realm)}`, `error=${quoted(refusal.error)}`, `error_description=${quoted(refusal.description)}`]
  if (refusal.scope !== undefined) params.push(`scope=${quoted(refusal.scope)}`)
  if (refusal.scheme === "DPoP") params.push(dpopAlgs)
  return `${refusal.scheme} ${params.join(", ")}`
}

const noStore = { "content-type": "application/json", "cache-control": "no-store" }

/** The response for a refusal (with `DPoP-Nonce` when the client must use one). */
export const refusalResponse = (refusal: AccessTokenRefused, realm: string): Response =>
  new Response(JSON.stringify({ error: refusal.error, error_description: refusal.description }), {
    status: refusal.status,
    headers: {
      ...noStore,
      "www-authenticate": challengeOf(refusal, realm),
      ...(refusal.nonce !== null && refusal.error === "use_dpop_nonce" ? { "dpop-nonce": refusal.nonce } : {})
    }
  })

/** 401 for a request without credentials: a Bearer and a DPoP challenge, no error code. */
export const missingTokenResponse = (realm: string): Response => {
  const headers = new Headers(noStore)
  headers.append("www-authenticate", `Bearer realm=${quoted(realm)}`)
  headers.append("www-authenticate", `DPoP realm=${quoted(realm)}, ${dpopAlgs}`)
  return new Response(JSON.stringify({ error_description: "an access token is required" }), { status: 401, headers })
}

/** 503 when Authrim could not answer (the token was neither accepted nor refused). */
export const unavailableResponse = (): Response =>
  new Response(JSON.stringify({ error: "temporarily_unavailable", error_description: "the token could not be checked; try again" }), {
    status: 503, headers: { ...noStore, "retry-after": "1" }
  })
