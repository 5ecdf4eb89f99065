/**
 * Calls to an upstream provider: every one has a timeout, and every failure
 * (network, non-2xx, non-JSON) becomes a typed error. An unreachable upstream
 * is `temporarily_unavailable`; an upstream that answers with an OAuth error
 * is `access_denied` with its description, so the user sees what went wrong.
 */
import { OAuthError } from "@authrim/contracts"
import { Effect } from "effect"
import { UpstreamBindings } from "./upstream_bindings.ts"

const UPSTREAM_TIMEOUT_MS = 10_000

/** Fetches `url` and parses a JSON object; `what` names the call in error descriptions. */
export const fetchUpstreamJson = Effect.fnUntraced(function*(what: string, url: string, init: RequestInit = {}) {
  const { fetch } = yield* UpstreamBindings
  const response = yield* Effect.tryPromise({
    try: () => fetch(url, { ...init, headers: { accept: "application/json", ...init.headers }, signal: AbortSignal.timeout(UPSTREAM_TIMEOUT_MS) }),
    catch: () => new OAuthError({ code: "temporarily_unavailable", description: `the identity provider's ${what} could not be reached` })
  })
  const body = yield* Effect.tryPromise({
    try: () => response.json() as Promise<unknown>,
    catch: () => new OAuthError({ code: "access_denied", description: `the identity provider's ${what} did not answer with JSON (status ${response.status})` })
  })
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    return yield* new OAuthError({ code: "access_denied", description: `the identity provider's ${what} answered with an unexpected document` })
  }
  const record = body as Record<string, unknown>
  if (!response.ok) {
    const code = typeof record["error"] === "string" ? record["error"] : `status ${response.status}`
    return yield* new OAuthError({ code: "access_denied", description: `the identity provider's ${what} refused the request (${code})` })
  }
  return record
})
