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

/** Makes a client on first read of a getter, then keeps it. */
const once = <A>(make: () => A): (() => A) => {
  let made: { readonly value: A } | undefined
  return () => (made ??= { value: make() }).value
}

/** The admin clients of one env. */
const adminBackendsOf = (env: ServiceEnv) => {
  const clients = {
    userAdmin: once(() => makeClient("identity", UserAdminContract, env.IDENTITY_ADMIN)),
    rbac: once(() => makeClient("identity", RbacContract, env.IDENTITY_ADMIN)),
    clientAdmin: once(() => makeClient("identity", ClientAdminContract, env.IDENTITY_ADMIN)),
    auditLog: once(() => makeClient("identity", AuditLogContract, env.IDENTITY_ADMIN)),
    customFields: once(() => makeClient("identity", CustomFieldsContract, env.IDENTITY_ADMIN)),
    providerAdmin: once(() => makeClient("identity", IdentityProviderAdminContract, env.IDENTITY_ADMIN)),
    settings: once(() => makeClient("identity", SettingsContract, env.IDENTITY_ADMIN)),
    branding: once(() => makeClient("identity", BrandingContract, env.IDENTITY_ADMIN)),
    initialAccessTokens: once(() => makeClient("identity", InitialAccessTokensContract, env.IDENTITY_ADMIN)),
    userProfile: once(() => makeClient("identity", UserProfileContract, env.IDENTITY_ADMIN)),
    avatars: once(() => makeClient("identity", AvatarsContract, env.IDENTITY_ADMIN)),
    userSessions: once(() => makeClient("session", UserSessionsAdminContract, env.SESSION_ADMIN)),
    sessionBlock: once(() => makeClient("session", SessionBlockAdminContract, env.SESSION_ADMIN)),
    sessionStats: once(() => makeClient("session", SessionStatsContract, env.SESSION_ADMIN)),
    refreshFamilies: once(() => makeClient("tokens", RefreshFamiliesAdminContract, env.TOKENS_ADMIN)),
    keys: once(() => makeClient("keys", KeysAdminContract, env.KEYS_ADMIN))
  }
  return {
    /** Users and consents (contracts/src/user_admin.ts). */
    get userAdmin() { return clients.userAdmin() },
    /** Roles, user roles, permissions. */
    get rbac() { return clients.rbac() },
    get clientAdmin() { return clients.clientAdmin() },
    /** The audit trail's read side. */
    get auditLog() { return clients.auditLog() },
    /** Custom field definitions, scope mappings and any user's values. */
    get customFields() { return clients.customFields() },
    /** Upstream identity providers. */
    get providerAdmin() { return clients.providerAdmin() },
    /** System settings, read and written. */
    get settings() { return clients.settings() },
    /** Branding, read and written. */
    get branding() { return clients.branding() },
    /** Initial access tokens (RFC 7591 §3). */
    get initialAccessTokens() { return clients.initialAccessTokens() },
    /** Any user's standard claims. */
    get userProfile() { return clients.userProfile() },
    /** Any user's avatar. */
    get avatars() { return clients.avatars() },
    /** A user's sessions as an admin lists and ends them. */
    get userSessions() { return clients.userSessions() },
    /** Ending every session of a user, and letting a re-enabled one sign in again. */
    get sessionBlock() { return clients.sessionBlock() },
    /** The dashboard's live-session count. */
    get sessionStats() { return clients.sessionStats() },
    /** Revoking the refresh token families of a user's consent to one client. */
    get refreshFamilies() { return clients.refreshFamilies() },
    /** Signing keys' metadata and rotation (`KeysAdmin`). */
    get keys() { return clients.keys() }
  }
}

/** The admin API's clients of `env` (edge_layer.ts makes one per isolate and env). */
export const adminBackendsFor = (env: ServiceEnv): AdminBackends => adminBackendsOf(env)

/** Type of {@link adminBackendsFor}'s result. */
export type AdminBackends = ReturnType<typeof adminBackendsOf>
