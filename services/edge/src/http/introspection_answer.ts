/**
 * The body of an introspection answer (RFC 7662 §2.2), as JSON or — when the
 * client asks with `Accept: application/token-introspection+jwt` (RFC 9701
 * §4) — as a JWT signed by the provider (tokens service, keys kind
 * `token_introspection`): `{iss, aud: the calling client, iat,
 * token_introspection: <the JSON answer>}`, header `typ:
 * token-introspection+jwt`, no `exp` nor `sub` (§5). Errors stay RFC 6749 JSON.
 */
import type { EdgeFailure, Introspection } from "@authrim/contracts"
import { Effect } from "effect"
import { Edge } from "../edge_layer.ts"
import { noStoreJson } from "./oauth_json.ts"

/** RFC 9701 §4 / §7.1: the media type of a JWT introspection response. */
export const INTROSPECTION_JWT_MEDIA_TYPE = "application/token-introspection+jwt"

/** Whether `accept` lists `mediaType` (case-insensitive) without `q=0`. */
export const acceptsMediaType = (accept: string | null, mediaType: string): boolean =>
  (accept ?? "").split(",").some((range) => {
    const [type, ...params] = range.split(";").map((part) => part.trim().toLowerCase())
    return type === mediaType && !params.some((param) => /^q=0(\.0{0,3})?$/.test(param.replace(/\s/g, "")))
  })

/** `introspection` for `clientId`, in the form `request` asked for. */
export const introspectionAnswer = (request: Request, issuer: string, clientId: string, introspection: Introspection): Effect.Effect<Response, EdgeFailure, Edge> => {
  if (!acceptsMediaType(request.headers.get("accept"), INTROSPECTION_JWT_MEDIA_TYPE)) return Effect.succeed(noStoreJson(introspection))
  return Edge.use(({ backends }) => backends.signedResponses.signIntrospectionResponse({ issuer, clientId, introspection })).pipe(
    Effect.map(({ jwt }) => new Response(jwt, {
      status: 200,
      headers: { "content-type": INTROSPECTION_JWT_MEDIA_TYPE, "cache-control": "no-store", pragma: "no-cache" }
    }))
  )
}
