/**
 * `TokensForResourceServers` (issue 13 §1): the entrypoint another team's
 * Worker binds to accept Authrim's access tokens —
 * `services: [{ binding: "AUTHRIM", service: "authrim-tokens", entrypoint: "TokensForResourceServers" }]`.
 * Only verifyAccessToken and introspect (contracts/src/resource_server.ts);
 * it shares the TokensService runtime (the same `tokensServiceLayer`).
 */
import { ResourceServerContract, serveAll } from "@authrim/contracts"
import { meteredEnv } from "@authrim/cost-meter"
import { WorkerEntrypoint } from "cloudflare:workers"
import { tokensBindingMeters, type ServiceEnv } from "./env.ts"
import { introspectForResourceServer } from "./resource_server/resource_introspection.ts"
import { verifyForResourceServer } from "./resource_server/resource_access_token.ts"
import { tokensServiceLayer } from "./tokens_service_layer.ts"

export class TokensForResourceServers extends serveAll(WorkerEntrypoint<ServiceEnv>, {
  name: "tokens",
  contracts: [ResourceServerContract],
  layer: tokensServiceLayer,
  handlers: {
    verifyAccessToken: verifyForResourceServer,
    introspect: introspectForResourceServer
  }
}) {
  constructor(ctx: ExecutionContext, env: ServiceEnv) {
    // As TokensService: with the cost meter on, it counts this worker's binding calls (packages/cost-meter).
    super(ctx, meteredEnv(env, tokensBindingMeters))
  }
}
