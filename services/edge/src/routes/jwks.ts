/**
 * `GET /jwks` (and `/.well-known/jwks.json`): the public signing keys, cacheable
 * for five minutes; the text comes from the isolate's copy (discovery/jwks_cache.ts).
 */
import { Effect } from "effect"
import type { Edge } from "../edge_layer.ts"
import { currentJwks } from "../discovery/edge_jwks_cache.ts"
import type { RouteContext } from "../route_context.ts"
import { withCors } from "../http/cors.ts"
import { oauthErrorJson } from "../http/oauth_json.ts"

/** Serves the JWKS (`application/jwk-set+json`, RFC 7517 §8.5). */
export const jwks = (_request: Request, _ctx: RouteContext): Effect.Effect<Response, never, Edge> =>
  currentJwks.pipe(
    Effect.map((set) => new Response(set.body, { headers: { "content-type": "application/jwk-set+json", "cache-control": "public, max-age=300" } })),
    Effect.catch((failure) => Effect.succeed(oauthErrorJson(failure))),
    Effect.map(withCors)
  )
