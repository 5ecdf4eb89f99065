/**
 * Which client a token-endpoint request claims to be, and how it
 * authenticates (RFC 6749 §2.3.1): HTTP Basic (`client_secret_basic`, id and
 * secret form-urlencoded before base64), `client_id` + `client_secret` in the
 * body (`client_secret_post`), or `client_id` alone (`none`, public clients).
 * Or a JWT assertion (`private_key_jwt`, RFC 7523 §2.2, see client_assertion_params.ts).
 * Using more than one method at once is `invalid_request` (RFC 6749 §2.3).
 */
import { OAuthError, type ClientAuthMethod } from "@authrim/contracts"
import { Effect } from "effect"
import type { Params } from "../http/request_params.ts"
import { presentedAssertion } from "./client_assertion_params.ts"

/** The presented identity and credential, not yet verified. */
export interface PresentedClient {
  readonly clientId: string
  readonly method: ClientAuthMethod
  readonly secret: string | null
  /** The `client_assertion` JWT when `method` is `private_key_jwt`, else null. */
  readonly assertion: string | null
}

const invalidRequest = (description: string) => new OAuthError({ code: "invalid_request", description })
const invalidClient = (description: string) => new OAuthError({ code: "invalid_client", description })

/** application/x-www-form-urlencoded decoding of one Basic component (`+` is a space). */
const formDecode = (s: string): string | null => {
  try {
    return decodeURIComponent(s.replace(/\+/g, " "))
  } catch {
    return null
  }
}

/** The id and secret of an `Authorization: Basic` header, if there is one. */
const basicCredentials = (request: Request): Effect.Effect<{ id: string; secret: string } | null, OAuthError> => {
  const header = request.headers.get("authorization")
  const match = header === null ? null : /^basic\s+([A-Za-z0-9+/=._~-]*)\s*$/i.exec(header)
  if (header === null || (match === null && !/^basic\b/i.test(header))) return Effect.succeed(null)
  if (match === null) return Effect.fail(invalidClient("malformed Basic credentials"))
  let decoded: string
  try {
    decoded = atob(match[1]!)
  } catch {
    return Effect.fail(invalidClient("malformed Basic credentials"))
  }
  const colon = decoded.indexOf(":")
  const id = colon < 0 ? null : formDecode(decoded.slice(0, colon))
  const secret = colon < 0 ? null : formDecode(decoded.slice(colon + 1))
  return id === null || secret === null || id === "" ? Effect.fail(invalidClient("malformed Basic credentials")) : Effect.succeed({ id, secret })
}

/** The presented client of a token, revocation or introspection request. */
export const presentedClient = Effect.fnUntraced(function*(request: Request, form: Params): Effect.fn.Return<PresentedClient, OAuthError> {
  const assertion = yield* presentedAssertion(form)
  const basic = yield* basicCredentials(request)
  const bodyId = form.get("client_id")
  const bodySecret = form.get("client_secret")
  if (assertion !== null) {
    if (basic !== null || bodySecret !== undefined) return yield* invalidRequest("use only one client authentication method")
    return { clientId: assertion.clientId, method: "private_key_jwt" as const, secret: null, assertion: assertion.assertion }
  }
  if (basic !== null) {
    if (bodySecret !== undefined) return yield* invalidRequest("use only one client authentication method")
    if (bodyId !== undefined && bodyId !== basic.id) return yield* invalidRequest("client_id does not match the Basic credentials")
    return { clientId: basic.id, method: "client_secret_basic" as const, secret: basic.secret, assertion: null }
  }
  if (bodyId === undefined) {
    return yield* (bodySecret === undefined ? invalidClient("client authentication is required") : invalidRequest("client_secret without client_id"))
  }
  return bodySecret === undefined
    ? { clientId: bodyId, method: "none" as const, secret: null, assertion: null }
    : { clientId: bodyId, method: "client_secret_post" as const, secret: bodySecret, assertion: null }
})
