/**
 * `TokensForResourceServers` (issue 13 §1): the entrypoint another team's
 * Worker binds to accept Authrim's access tokens —
 * `services: [{ binding: "AUTHRIM", service: "authrim-tokens", entrypoint: "TokensForResourceServers" }]`.
 * Only verifyAccessToken and introspect (contracts/src/resource_server.ts);
 * it shares the runtime of TokensForEdge and the other entrypoints (the same `tokensServiceLayer`).
 */
import { ResourceServerContract, serveAll } from "@authrim/contracts"
import { MeteredTokensEntrypoint } from "./tokens_service.ts"
import { introspectForResourceServer } from "./resource_server/resource_introspection.ts"
import { verifyForResourceServer } from "./resource_server/resource_access_token.ts"
import { tokensServiceLayer } from "./tokens_service_layer.ts"

export class TokensForResourceServers extends serveAll(MeteredTokensEntrypoint, {
  name: "tokens",
  contracts: [ResourceServerContract],
  layer: tokensServiceLayer,
  handlers: {
    verifyAccessToken: verifyForResourceServer,
    introspect: introspectForResourceServer
  }
}) {}
