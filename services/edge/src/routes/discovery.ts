/** `GET /.well-known/openid-configuration`: public, cacheable for five minutes, callable from any origin. */
import { Effect } from "effect"
import { providerMetadata } from "../discovery/provider_metadata.ts"
import type { EdgeContext } from "../edge_context.ts"
import { withCors } from "../http/cors.ts"

/** Serves the provider metadata. */
export const discovery = (_request: Request, ctx: EdgeContext): Effect.Effect<Response> =>
  Effect.succeed(withCors(Response.json(providerMetadata(ctx.issuer, ctx.par), { headers: { "cache-control": "public, max-age=300" } })))
