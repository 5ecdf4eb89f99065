/** authrim-tokens: the TokensService entrypoint and the Durable Object classes it owns. */
export { AuthorizationCodeStore } from "./authorization_code_store.ts"
export { RefreshTokenRotator } from "./refresh_token_rotator.ts"
export { TokenRevocationStore } from "./token_revocation_store.ts"
export { TokensService } from "./tokens_service.ts"

/** Not public: the edge reaches this worker only over RPC. */
export default { fetch: () => new Response("tokens: internal service", { status: 404 }) }
