/**
 * Typed Effect clients for the five backends, made from the service bindings and the contracts.
 * One `Backends` per isolate and env (held by the `Edge` service, edge_layer.ts), and each
 * client is made on first use: an isolate's requests touch a few of the twenty-one, and
 * discovery none. A binding that throws when read fails the request that first needs it
 * (a defect, answered as a generic server_error), not the isolate.
 */
import {
  IdentityContract,
  KeysAdminContract,
  KeysPublicContract,
  makeClient,
  RateLimitContract,
  AvatarsContract,
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
import { HealthContract } from "@authrim/contracts"
import { UserAdminContract } from "@authrim/contracts"
import { AuditLogContract, ClientAdminContract, RbacContract } from "@authrim/contracts"
import { ClientRegistrationContract } from "@authrim/contracts"
import { SettingsContract, UserProfileContract } from "@authrim/contracts"
import { CustomFieldsContract, IdentityProviderAdminContract } from "@authrim/contracts"
import { BrandingContract } from "@authrim/contracts"
import { SessionStatsContract } from "@authrim/contracts"
import { rateLimitPoliciesFrom, type RateLimitPolicies } from "./http/rate_limit_policies.ts"
import type { ServiceEnv } from "./env.ts"

/** `RATE_LIMIT_POLICIES` parsed once per value (a var is fixed for the isolate; parsing it per request was waste). */
let parsedPolicies: { readonly raw: string | undefined; readonly policies: RateLimitPolicies } | null = null
const policiesOf = (raw: string | undefined): RateLimitPolicies => {
  if (parsedPolicies === null || parsedPolicies.raw !== raw) parsedPolicies = { raw, policies: rateLimitPoliciesFrom(raw) }
  return parsedPolicies.policies
}

/** The backends of one env. */
class RequestBackends {
  readonly #env: ServiceEnv
  #keys?: ReturnType<typeof makeClient<typeof KeysPublicContract>>
  #keysAdmin?: ReturnType<typeof makeClient<typeof KeysAdminContract>>
  #session?: ReturnType<typeof makeClient<typeof SessionContract>>
  #tokens?: ReturnType<typeof makeClient<typeof TokensContract>>
  #sessionLogout?: ReturnType<typeof makeClient<typeof SessionLogoutContract>>
  #tokensLogout?: ReturnType<typeof makeClient<typeof TokensLogoutContract>>
  #par?: ReturnType<typeof makeClient<typeof ParContract>>
  #device?: ReturnType<typeof makeClient<typeof DeviceContract>>
  #dpop?: ReturnType<typeof makeClient<typeof DpopContract>>
  #refreshFamilies?: ReturnType<typeof makeClient<typeof RefreshFamiliesContract>>
  #rateLimit?: ReturnType<typeof makeClient<typeof RateLimitContract>>
  #avatars?: ReturnType<typeof makeClient<typeof AvatarsContract>>
  #identity?: ReturnType<typeof makeClient<typeof IdentityContract>>
  #clientAuth?: ReturnType<typeof makeClient<typeof ClientAuthContract>>
  #passkeys?: ReturnType<typeof makeClient<typeof PasskeysContract>>
  #upstream?: ReturnType<typeof makeClient<typeof UpstreamContract>>
  #mfa?: ReturnType<typeof makeClient<typeof MfaContract>>
  #emailLogin?: ReturnType<typeof makeClient<typeof EmailLoginContract>>
  #sessionReauth?: ReturnType<typeof makeClient<typeof SessionReauthContract>>
  #accountSecurity?: ReturnType<typeof makeClient<typeof AccountSecurityContract>>
  #userAdmin?: ReturnType<typeof makeClient<typeof UserAdminContract>>
  #rbac?: ReturnType<typeof makeClient<typeof RbacContract>>
  #clientAdmin?: ReturnType<typeof makeClient<typeof ClientAdminContract>>
  #auditLog?: ReturnType<typeof makeClient<typeof AuditLogContract>>
  #registration?: ReturnType<typeof makeClient<typeof ClientRegistrationContract>>
  #settings?: ReturnType<typeof makeClient<typeof SettingsContract>>
  #branding?: ReturnType<typeof makeClient<typeof BrandingContract>>
  #sessionStats?: ReturnType<typeof makeClient<typeof SessionStatsContract>>
  #userProfile?: ReturnType<typeof makeClient<typeof UserProfileContract>>
  #customFields?: ReturnType<typeof makeClient<typeof CustomFieldsContract>>
  #providerAdmin?: ReturnType<typeof makeClient<typeof IdentityProviderAdminContract>>
  #health?: ReadonlyArray<{ readonly service: string; readonly client: ReturnType<typeof makeClient<typeof HealthContract>> }>

  constructor(env: ServiceEnv) {
    this.#env = env
  }

  /** The JWKS (`KeysForEdge`): the edge never signs. */
  get keys() { return (this.#keys ??= makeClient("keys", KeysPublicContract, this.#env.KEYS)) }
  /** Key metadata and rotation (`KeysAdmin`), for the admin API's keys routes (and the console through them) only. */
  get keysAdmin() { return (this.#keysAdmin ??= makeClient("keys", KeysAdminContract, this.#env.KEYS_ADMIN)) }
  get session() { return (this.#session ??= makeClient("session", SessionContract, this.#env.SESSION)) }
  get tokens() { return (this.#tokens ??= makeClient("tokens", TokensContract, this.#env.TOKENS)) }
  get sessionLogout() { return (this.#sessionLogout ??= makeClient("session", SessionLogoutContract, this.#env.SESSION)) }
  get tokensLogout() { return (this.#tokensLogout ??= makeClient("tokens", TokensLogoutContract, this.#env.TOKENS)) }
  get par() { return (this.#par ??= makeClient("tokens", ParContract, this.#env.TOKENS)) }
  get device() { return (this.#device ??= makeClient("tokens", DeviceContract, this.#env.TOKENS)) }
  get dpop() { return (this.#dpop ??= makeClient("tokens", DpopContract, this.#env.TOKENS)) }
  get refreshFamilies() { return (this.#refreshFamilies ??= makeClient("tokens", RefreshFamiliesContract, this.#env.TOKENS)) }
  get rateLimit() { return (this.#rateLimit ??= makeClient("ratelimit", RateLimitContract, this.#env.RATELIMIT)) }
  get rateLimitPolicies() { return policiesOf(this.#env.RATE_LIMIT_POLICIES) }
  get identity() { return (this.#identity ??= makeClient("identity", IdentityContract, this.#env.IDENTITY)) }
  get clientAuth() { return (this.#clientAuth ??= makeClient("identity", ClientAuthContract, this.#env.IDENTITY)) }
  get passkeys() { return (this.#passkeys ??= makeClient("identity", PasskeysContract, this.#env.IDENTITY)) }
  get upstream() { return (this.#upstream ??= makeClient("identity", UpstreamContract, this.#env.IDENTITY)) }
  get mfa() { return (this.#mfa ??= makeClient("identity", MfaContract, this.#env.IDENTITY)) }
  get emailLogin() { return (this.#emailLogin ??= makeClient("identity", EmailLoginContract, this.#env.IDENTITY)) }
  /** The live-session count of the console dashboard (contracts/src/session_stats.ts). */
  get sessionStats() { return (this.#sessionStats ??= makeClient("session", SessionStatsContract, this.#env.SESSION)) }
  get sessionReauth() { return (this.#sessionReauth ??= makeClient("session", SessionReauthContract, this.#env.SESSION)) }
  /** The deep health client of every backend, in deploy order (routes/health_endpoint.ts). */
  get health() {
    return (this.#health ??= ([["keys", this.#env.KEYS], ["ratelimit", this.#env.RATELIMIT], ["session", this.#env.SESSION], ["identity", this.#env.IDENTITY], ["tokens", this.#env.TOKENS]] as const)
      .map(([service, binding]) => ({ service: `authrim-${service}`, client: makeClient(service, HealthContract, binding) })))
  }
  get avatars() { return (this.#avatars ??= makeClient("identity", AvatarsContract, this.#env.IDENTITY)) }
  /** User administration on identity (contracts/src/user_admin.ts), for the admin API (admin/user_admin_operations.ts). */
  get userAdmin() { return (this.#userAdmin ??= makeClient("identity", UserAdminContract, this.#env.IDENTITY)) }
  /** Admin API (services/edge/src/admin): RBAC, client administration and the audit trail's read side, all identity's. */
  get rbac() { return (this.#rbac ??= makeClient("identity", RbacContract, this.#env.IDENTITY)) }
  get clientAdmin() { return (this.#clientAdmin ??= makeClient("identity", ClientAdminContract, this.#env.IDENTITY)) }
  get auditLog() { return (this.#auditLog ??= makeClient("identity", AuditLogContract, this.#env.IDENTITY)) }
  get registration() { return (this.#registration ??= makeClient("identity", ClientRegistrationContract, this.#env.IDENTITY)) }
  get accountSecurity() { return (this.#accountSecurity ??= makeClient("identity", AccountSecurityContract, this.#env.IDENTITY)) }
  /** System settings (issue 12 §5; the admin API reads and writes them through it). */
  get settings() { return (this.#settings ??= makeClient("identity", SettingsContract, this.#env.IDENTITY)) }
  /** Branding (issue 12 §5): every hosted page reads it (pages/page_branding.ts); the admin API writes it. */
  get branding() { return (this.#branding ??= makeClient("identity", BrandingContract, this.#env.IDENTITY)) }
  /** OIDC standard claims of a user (issue 12 §4; account page and console). */
  get userProfile() { return (this.#userProfile ??= makeClient("identity", UserProfileContract, this.#env.IDENTITY)) }
  /** Custom field definitions, user custom values and scope mappings (issue 12 §1, §4; admin API and account page). */
  get customFields() { return (this.#customFields ??= makeClient("identity", CustomFieldsContract, this.#env.IDENTITY)) }
  /** Upstream identity providers' administration (admin API). */
  get providerAdmin() { return (this.#providerAdmin ??= makeClient("identity", IdentityProviderAdminContract, this.#env.IDENTITY)) }
}

/** The backends of `env` (edge_layer.ts makes one per isolate and env). */
export const backendsFor = (env: ServiceEnv): RequestBackends => new RequestBackends(env)

/** Type of {@link backendsFor}'s result. */
export type Backends = RequestBackends
