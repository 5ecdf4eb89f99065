/**
 * `GET /.well-known/openid-configuration`: public, cacheable for five minutes,
 * callable from any origin. The document depends only on the issuer and the
 * PAR setting, both fixed for an isolate, so it is serialized once and the
 * same text answered until one of them changes.
 */
import { Effect } from "effect"
import { providerMetadata } from "../discovery/provider_metadata.ts"
import type { RouteContext } from "../route_context.ts"
import { withCors } from "../http/cors.ts"
import type { ParSettings } from "../par/par_settings.ts"
import { Edge } from "../edge_layer.ts"

let rendered: { readonly issuer: string; readonly requirePar: boolean; readonly body: string } | null = null

const metadataBody = (issuer: string, par: ParSettings): string => {
  if (rendered === null || rendered.issuer !== issuer || rendered.requirePar !== par.requireForAllClients) {
    rendered = { issuer, requirePar: par.requireForAllClients, body: JSON.stringify(providerMetadata(issuer, par)) }
  }
  return rendered.body
}

/** Serves the provider metadata. */
export const discovery = (_request: Request, ctx: RouteContext): Effect.Effect<Response, never, Edge> =>
  Edge.use(({ par }) =>
    Effect.sync(() =>
      withCors(new Response(metadataBody(ctx.issuer, par), { headers: { "content-type": "application/json", "cache-control": "public, max-age=300" } }))
    ))
