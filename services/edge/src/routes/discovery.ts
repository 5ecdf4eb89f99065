/**
 * `GET /.well-known/openid-configuration`: public, cacheable for five minutes,
 * callable from any origin. The document depends only on the issuer and the
 * PAR setting, both fixed for an isolate, so it is serialized once and the
 * same text answered until one of them changes.
 */
import { Effect } from "effect"
import { providerMetadata } from "../discovery/provider_metadata.ts"
import type { EdgeContext } from "../edge_context.ts"
import { withCors } from "../http/cors.ts"
import { defaultParSettings } from "../par/par_settings.ts"

let rendered: { readonly issuer: string; readonly requirePar: boolean; readonly body: string } | null = null

const metadataBody = (ctx: EdgeContext): string => {
  const par = ctx.par ?? defaultParSettings
  if (rendered === null || rendered.issuer !== ctx.issuer || rendered.requirePar !== par.requireForAllClients) {
    rendered = { issuer: ctx.issuer, requirePar: par.requireForAllClients, body: JSON.stringify(providerMetadata(ctx.issuer, par)) }
  }
  return rendered.body
}

/** Serves the provider metadata. */
export const discovery = (_request: Request, ctx: EdgeContext): Effect.Effect<Response> =>
  Effect.sync(() =>
    withCors(new Response(metadataBody(ctx), { headers: { "content-type": "application/json", "cache-control": "public, max-age=300" } }))
  )
