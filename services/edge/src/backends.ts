/**
 * Typed Effect clients for the five backends, made from the service bindings and the contracts:
 * the edge's runtime entrypoints (`*ForEdge`, keys aside); the admin API's clients are
 * admin_backends.ts.
 * One `Backends` per isolate and env (held by the `Edge` service, edge_layer.ts), and each
 * client is made on first use: an isolate's requests touch a few of the twenty-one, and
 * discovery none. A binding that throws when read fails the request that first needs it
 * (a defect, answered as a generic server_error), not the isolate.
 */
import {
  AccountSecurityContract,
  AvatarsContract,
  BrandingReadContract,
  ClientAuthContract,
  DeviceContract,
  DpopContract,
  EmailLoginContract,
  HealthContract,
  IdentitySignInContract,
  KeysPublicContract,
  makeClient,
  MfaContract,
  ParContract,
  PasskeysContract,
  PermissionsReadContract,
  RateLimitContract,
  RefreshFamiliesForEdgeContract,
  SelfRegistrationContract,
  SessionLogoutForEdgeContract,
  SessionsForEdgeContract,
  SessionReauthContract,
  SignedResponsesContract,
  SettingsReadContract,
  TokenExchangeContract,
  TokensContract,
  TokensLogoutContract,
  UpstreamSignInContract,
  UserCustomFieldsContract,
  UserProfileContract
} from "@authrim/contracts"
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
  #session?: ReturnType<typeof makeClient<typeof SessionsForEdgeContract>>
  #tokens?: ReturnType<typeof makeClient<typeof TokensContract>>
  #sessionLogout?: ReturnType<typeof makeClient<typeof SessionLogoutForEdgeContract>>
  #tokensLogout?: ReturnType<typeof makeClient<typeof TokensLogoutContract>>
  #par?: ReturnType<typeof makeClient<typeof ParContract>>
  #device?: ReturnType<typeof makeClient<typeof DeviceContract>>
  #dpop?: ReturnType<typeof makeClient<typeof DpopContract>>
  #refreshFamilies?: ReturnType<typeof makeClient<typeof RefreshFamiliesForEdgeContract>>
  #signedResponses?: ReturnType<typeof makeClient<typeof SignedResponsesContract>>
  #tokenExchange?: ReturnType<typeof makeClient<typeof TokenExchangeContract>>
  #rateLimit?: ReturnType<typeof makeClient<typeof RateLimitContract>>
  #avatars?: ReturnType<typeof makeClient<typeof AvatarsContract>>
  #identity?: ReturnType<typeof makeClient<typeof IdentitySignInContract>>
  #clientAuth?: ReturnType<typeof makeClient<typeof ClientAuthContract>>
  #passkeys?: ReturnType<typeof makeClient<typeof PasskeysContract>>
  #upstream?: ReturnType<typeof makeClient<typeof UpstreamSignInContract>>
  #mfa?: ReturnType<typeof makeClient<typeof MfaContract>>
  #emailLogin?: ReturnType<typeof makeClient<typeof EmailLoginContract>>
  #sessionReauth?: ReturnType<typeof makeClient<typeof SessionReauthContract>>
  #accountSecurity?: ReturnType<typeof makeClient<typeof AccountSecurityContract>>
  #rbac?: ReturnType<typeof makeClient<typeof PermissionsReadContract>>
  #registration?: ReturnType<typeof makeClient<typeof SelfRegistrationContract>>
  #settings?: ReturnType<typeof makeClient<typeof SettingsReadContract>>
  #branding?: ReturnType<typeof makeClient<typeof BrandingReadContract>>
  #userProfile?: ReturnType<typeof makeClient<typeof UserProfileContract>>
  #customFields?: ReturnType<typeof makeClient<typeof UserCustomFieldsContract>>
  #health?: ReadonlyArray<{ readonly service: string; readonly client: ReturnType<typeof makeClient<typeof HealthContract>> }>

  constructor(env: ServiceEnv) {
    this.#env = env
  }

  /** The JWKS (`KeysForEdge`): the edge never signs. */
  get keys() { return (this.#keys ??= makeClient("keys", KeysPublicContract, this.#env.KEYS)) }
  get session() { return (this.#session ??= makeClient("session", SessionsForEdgeContract, this.#env.SESSION)) }
  get tokens() { return (this.#tokens ??= makeClient("tokens", TokensContract, this.#env.TOKENS)) }
  get sessionLogout() { return (this.#sessionLogout ??= makeClient("session", SessionLogoutForEdgeContract, this.#env.SESSION)) }
  get tokensLogout() { return (this.#tokensLogout ??= makeClient("tokens", TokensLogoutContract, this.#env.TOKENS)) }
  get par() { return (this.#par ??= makeClient("tokens", ParContract, this.#env.TOKENS)) }
  get device() { return (this.#device ??= makeClient("tokens", DeviceContract, this.#env.TOKENS)) }
  get dpop() { return (this.#dpop ??= makeClient("tokens", DpopContract, this.#env.TOKENS)) }
  get refreshFamilies() { return (this.#refreshFamilies ??= makeClient("tokens", RefreshFamiliesForEdgeContract, this.#env.TOKENS)) }
  /** JARM and RFC 9701 response JWTs, signed by tokens (through keys) for the edge. */
  get signedResponses() { return (this.#signedResponses ??= makeClient("tokens", SignedResponsesContract, this.#env.TOKENS)) }
  /** RFC 8693 token exchange (delegation), done by tokens. */
  get tokenExchange() { return (this.#tokenExchange ??= makeClient("tokens", TokenExchangeContract, this.#env.TOKENS)) }
  get rateLimit() { return (this.#rateLimit ??= makeClient("ratelimit", RateLimitContract, this.#env.RATELIMIT)) }
  get rateLimitPolicies() { return policiesOf(this.#env.RATE_LIMIT_POLICIES) }
  get identity() { return (this.#identity ??= makeClient("identity", IdentitySignInContract, this.#env.IDENTITY)) }
  get clientAuth() { return (this.#clientAuth ??= makeClient("identity", ClientAuthContract, this.#env.IDENTITY)) }
  get passkeys() { return (this.#passkeys ??= makeClient("identity", PasskeysContract, this.#env.IDENTITY)) }
  get upstream() { return (this.#upstream ??= makeClient("identity", UpstreamSignInContract, this.#env.IDENTITY)) }
  get mfa() { return (this.#mfa ??= makeClient("identity", MfaContract, this.#env.IDENTITY)) }
  get emailLogin() { return (this.#emailLogin ??= makeClient("identity", EmailLoginContract, this.#env.IDENTITY)) }
  get sessionReauth() { return (this.#sessionReauth ??= makeClient("session", SessionReauthContract, this.#env.SESSION)) }
  /** The deep health client of every backend, in deploy order (routes/health_endpoint.ts). */
  get health() {
    return (this.#health ??= ([["keys", this.#env.KEYS], ["ratelimit", this.#env.RATELIMIT], ["session", this.#env.SESSION], ["identity", this.#env.IDENTITY], ["tokens", this.#env.TOKENS]] as const)
      .map(([service, binding]) => ({ service: `authrim-${service}`, client: makeClient(service, HealthContract, binding) })))
  }
  get avatars() { return (this.#avatars ??= makeClient("identity", AvatarsContract, this.#env.IDENTITY)) }
  /** A user's effective permissions (the admin scope grant and the admin second factor check them). */
  get rbac() { return (this.#rbac ??= makeClient("identity", PermissionsReadContract, this.#env.IDENTITY)) }
  /** RFC 7591/7592: registration and a client's management of itself. */
  get registration() { return (this.#registration ??= makeClient("identity", SelfRegistrationContract, this.#env.IDENTITY)) }
  get accountSecurity() { return (this.#accountSecurity ??= makeClient("identity", AccountSecurityContract, this.#env.IDENTITY)) }
  /** System settings as pages read them (issue 12 §5; the admin API writes them through admin_backends.ts). */
  get settings() { return (this.#settings ??= makeClient("identity", SettingsReadContract, this.#env.IDENTITY)) }
  /** Branding (issue 12 §5): every hosted page reads it (pages/page_branding.ts); the admin API writes it through admin_backends.ts. */
  get branding() { return (this.#branding ??= makeClient("identity", BrandingReadContract, this.#env.IDENTITY)) }
  /** OIDC standard claims of a user (issue 12 §4): the account page, the user's own. */
  get userProfile() { return (this.#userProfile ??= makeClient("identity", UserProfileContract, this.#env.IDENTITY)) }
  /** A user's own custom field values and their definitions (issue 12 §1, §4: the account page). */
  get customFields() { return (this.#customFields ??= makeClient("identity", UserCustomFieldsContract, this.#env.IDENTITY)) }
}

/** The backends of `env` (edge_layer.ts makes one per isolate and env). */
export const backendsFor = (env: ServiceEnv): RequestBackends => new RequestBackends(env)

/** Type of {@link backendsFor}'s result. */
export type Backends = RequestBackends
