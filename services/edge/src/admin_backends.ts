/**
 * The admin API's clients (issue 13 §2): the `*Admin` entrypoints, bound as
 * `IDENTITY_ADMIN`, `SESSION_ADMIN`, `TOKENS_ADMIN` and `KEYS_ADMIN`. Only code under
 * src/admin reads them (through `Edge.adminBackends`) — a test
 * (scripts/test/admin_binding_use.test.ts) fails if anything else does — so a request
 * outside the admin API, which passed no admin authorization, has no client
 * that writes users, roles, clients, settings or branding, or rotates keys. One per isolate and
 * env; each client made on first use.
 */
import {
  AuditLogContract,
  AvatarsContract,
  BrandingContract,
  ClientAdminContract,
  CustomFieldsContract,
  IdentityProviderAdminContract,
  InitialAccessTokensContract,
  KeysAdminContract,
  makeClient,
  RbacContract,
  RefreshFamiliesAdminContract,
  SessionBlockAdminContract,
  SessionStatsContract,
  SettingsContract,
  UserAdminContract,
  UserProfileContract,
  UserSessionsAdminContract
} from "@authrim/contracts"
import type { ServiceEnv } from "./env.ts"

/** The admin clients of one env, each made on first use (as backends.ts makes the runtime ones). */
class AdminClients {
  readonly #env: ServiceEnv
  #userAdmin?: ReturnType<typeof makeClient<typeof UserAdminContract>>
  #rbac?: ReturnType<typeof makeClient<typeof RbacContract>>
  #clientAdmin?: ReturnType<typeof makeClient<typeof ClientAdminContract>>
  #auditLog?: ReturnType<typeof makeClient<typeof AuditLogContract>>
  #customFields?: ReturnType<typeof makeClient<typeof CustomFieldsContract>>
  #providerAdmin?: ReturnType<typeof makeClient<typeof IdentityProviderAdminContract>>
  #settings?: ReturnType<typeof makeClient<typeof SettingsContract>>
  #branding?: ReturnType<typeof makeClient<typeof BrandingContract>>
  #initialAccessTokens?: ReturnType<typeof makeClient<typeof InitialAccessTokensContract>>
  #userProfile?: ReturnType<typeof makeClient<typeof UserProfileContract>>
  #avatars?: ReturnType<typeof makeClient<typeof AvatarsContract>>
  #userSessions?: ReturnType<typeof makeClient<typeof UserSessionsAdminContract>>
  #sessionBlock?: ReturnType<typeof makeClient<typeof SessionBlockAdminContract>>
  #sessionStats?: ReturnType<typeof makeClient<typeof SessionStatsContract>>
  #refreshFamilies?: ReturnType<typeof makeClient<typeof RefreshFamiliesAdminContract>>
  #keys?: ReturnType<typeof makeClient<typeof KeysAdminContract>>

  constructor(env: ServiceEnv) {
    this.#env = env
  }

  /** Users and consents (contracts/src/user_admin.ts). */
  get userAdmin() { return (this.#userAdmin ??= makeClient("identity", UserAdminContract, this.#env.IDENTITY_ADMIN)) }
  /** Roles, user roles, permissions. */
  get rbac() { return (this.#rbac ??= makeClient("identity", RbacContract, this.#env.IDENTITY_ADMIN)) }
  get clientAdmin() { return (this.#clientAdmin ??= makeClient("identity", ClientAdminContract, this.#env.IDENTITY_ADMIN)) }
  /** The audit trail's read side. */
  get auditLog() { return (this.#auditLog ??= makeClient("identity", AuditLogContract, this.#env.IDENTITY_ADMIN)) }
  /** Custom field definitions, scope mappings and any user's values. */
  get customFields() { return (this.#customFields ??= makeClient("identity", CustomFieldsContract, this.#env.IDENTITY_ADMIN)) }
  /** Upstream identity providers. */
  get providerAdmin() { return (this.#providerAdmin ??= makeClient("identity", IdentityProviderAdminContract, this.#env.IDENTITY_ADMIN)) }
  /** System settings, read and written. */
  get settings() { return (this.#settings ??= makeClient("identity", SettingsContract, this.#env.IDENTITY_ADMIN)) }
  /** Branding, read and written. */
  get branding() { return (this.#branding ??= makeClient("identity", BrandingContract, this.#env.IDENTITY_ADMIN)) }
  /** Initial access tokens (RFC 7591 §3). */
  get initialAccessTokens() { return (this.#initialAccessTokens ??= makeClient("identity", InitialAccessTokensContract, this.#env.IDENTITY_ADMIN)) }
  /** Any user's standard claims. */
  get userProfile() { return (this.#userProfile ??= makeClient("identity", UserProfileContract, this.#env.IDENTITY_ADMIN)) }
  /** Any user's avatar. */
  get avatars() { return (this.#avatars ??= makeClient("identity", AvatarsContract, this.#env.IDENTITY_ADMIN)) }
  /** A user's sessions as an admin lists and ends them. */
  get userSessions() { return (this.#userSessions ??= makeClient("session", UserSessionsAdminContract, this.#env.SESSION_ADMIN)) }
  /** Ending every session of a user, and letting a re-enabled one sign in again. */
  get sessionBlock() { return (this.#sessionBlock ??= makeClient("session", SessionBlockAdminContract, this.#env.SESSION_ADMIN)) }
  /** The dashboard's live-session count. */
  get sessionStats() { return (this.#sessionStats ??= makeClient("session", SessionStatsContract, this.#env.SESSION_ADMIN)) }
  /** Revoking the refresh token families of a user's consent to one client. */
  get refreshFamilies() { return (this.#refreshFamilies ??= makeClient("tokens", RefreshFamiliesAdminContract, this.#env.TOKENS_ADMIN)) }
  /** Signing keys' metadata and rotation (`KeysAdmin`). */
  get keys() { return (this.#keys ??= makeClient("keys", KeysAdminContract, this.#env.KEYS_ADMIN)) }
}

/** The admin API's clients of `env` (edge_layer.ts makes one per isolate and env). */
export const adminBackendsFor = (env: ServiceEnv): AdminBackends => new AdminClients(env)

/** Type of {@link adminBackendsFor}'s result. */
export type AdminBackends = AdminClients
