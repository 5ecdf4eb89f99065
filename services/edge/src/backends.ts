/** Typed Effect clients for the five backends, made from the service bindings and the contracts. */
import {
  IdentityContract,
  KeysContract,
  makeClient,
  RateLimitContract,
  SessionContract,
  TokensContract
} from "@authrim/contracts"
import type { ServiceEnv } from "./env.ts"

/** The backends of one request. */
export const backendsFor = (env: ServiceEnv) => ({
  keys: makeClient("keys", KeysContract, env.KEYS),
  session: makeClient("session", SessionContract, env.SESSION),
  tokens: makeClient("tokens", TokensContract, env.TOKENS),
  rateLimit: makeClient("ratelimit", RateLimitContract, env.RATELIMIT),
  identity: makeClient("identity", IdentityContract, env.IDENTITY)
})

/** Type of {@link backendsFor}'s result. */
export type Backends = ReturnType<typeof backendsFor>
