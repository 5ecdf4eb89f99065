/**
 * Bindings of the public edge worker. It holds no storage: every binding is a
 * service binding typed from `contracts/` (never from a backend's source), plus
 * the optional `ISSUER` var.
 */
import type { IdentityRpc, KeysRpc, RateLimitRpc, SessionRpc, TokensRpc } from "@authrim/contracts"
import type { SessionLogoutRpc, TokensLogoutRpc } from "@authrim/contracts"
import type { PasskeysRpc } from "@authrim/contracts"
import type { UpstreamRpc } from "@authrim/contracts"
import type { MfaRpc } from "@authrim/contracts"
import type { EmailLoginRpc } from "@authrim/contracts"

export interface ServiceEnv {
  KEYS: KeysRpc
  SESSION: SessionRpc & SessionLogoutRpc
  TOKENS: TokensRpc & TokensLogoutRpc
  RATELIMIT: RateLimitRpc
  IDENTITY: IdentityRpc & PasskeysRpc & UpstreamRpc & MfaRpc & EmailLoginRpc
  /** The issuer URL (e.g. `https://id.example.com`). Unset: the request's origin is the issuer. */
  ISSUER?: string
}
