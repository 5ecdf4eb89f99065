/** Typed Effect clients for the five backends, made from the service bindings and the contracts. */
import {
  IdentityContract,
  KeysContract,
  makeClient,
  RateLimitContract,
  SessionContract,
  TokensContract
} from "@authrim/contracts"
import { PasskeysContract } from "@authrim/contracts"
import { UpstreamContract } from "@authrim/contracts"
import { MfaContract } from "@authrim/contracts"
import { EmailLoginContract } from "@authrim/contracts"
import { SessionLogoutContract, TokensLogoutContract } from "@authrim/contracts"
import { ParContract } from "@authrim/contracts"
import { DeviceContract } from "@authrim/contracts"
import { ClientAuthContract } from "@authrim/contracts"
import { DpopContract } from "@authrim/contracts"
import { RefreshFamiliesContract } from "@authrim/contracts"
import { AccountSecurityContract, SessionReauthContract } from "@authrim/contracts"
import { rateLimitPoliciesFrom } from "./http/rate_limit_policies.ts"
import type { ServiceEnv } from "./env.ts"

/** The backends of one request. */
export const backendsFor = (env: ServiceEnv) => ({
  keys: makeClient("keys", KeysContract, env.KEYS),
  session: makeClient("session", SessionContract, env.SESSION),
  tokens: makeClient("tokens", TokensContract, env.TOKENS),
  sessionLogout: makeClient("session", SessionLogoutContract, env.SESSION),
  tokensLogout: makeClient("tokens", TokensLogoutContract, env.TOKENS),
  par: makeClient("tokens", ParContract, env.TOKENS),
  device: makeClient("tokens", DeviceContract, env.TOKENS),
  dpop: makeClient("tokens", DpopContract, env.TOKENS),
  refreshFamilies: makeClient("tokens", RefreshFamiliesContract, env.TOKENS),
  rateLimit: makeClient("ratelimit", RateLimitContract, env.RATELIMIT),
  rateLimitPolicies: rateLimitPoliciesFrom(env.RATE_LIMIT_POLICIES),
  identity: makeClient("identity", IdentityContract, env.IDENTITY),
  clientAuth: makeClient("identity", ClientAuthContract, env.IDENTITY),
  passkeys: makeClient("identity", PasskeysContract, env.IDENTITY),
  upstream: makeClient("identity", UpstreamContract, env.IDENTITY),
  mfa: makeClient("identity", MfaContract, env.IDENTITY),
  emailLogin: makeClient("identity", EmailLoginContract, env.IDENTITY),
  sessionReauth: makeClient("session", SessionReauthContract, env.SESSION),
  accountSecurity: makeClient("identity", AccountSecurityContract, env.IDENTITY)
})

/** Type of {@link backendsFor}'s result. */
export type Backends = ReturnType<typeof backendsFor>
