/**
 * What each caller of authrim-identity may call (issue 13 §2): one list of
 * contracts — whole, or a part taken with `pickMethods` / `omitMethods` — per
 * named entrypoint of the identity worker.
 *
 * - `IdentityForEdge` (edge binding `IDENTITY`): sign-in, self-service
 *   account pages, client authentication, dynamic registration (RFC 7591/7592)
 *   and the reads every page needs. No administration writes, no seeding.
 * - `IdentityAdmin` (edge binding `IDENTITY_ADMIN`, used only by the admin API
 *   in services/edge/src/admin): users, roles, clients, custom fields, upstream
 *   providers, settings, branding, initial access tokens, the audit log.
 * - `IdentitySeed` (scripts/seed's runner, local tooling, never deployed):
 *   the upserts of `npm run seed` and what the seed file may set.
 */
import { AccountSecurityContract } from "./account_security.ts"
import { AuditLogContract } from "./audit_log_read.ts"
import { AvatarsContract } from "./avatars.ts"
import { BrandingContract } from "./branding.ts"
import { ClientAdminContract } from "./client_admin.ts"
import { ClientAuthContract } from "./client_auth.ts"
import { ClientRegistrationContract } from "./client_registration.ts"
import { CustomFieldsContract } from "./custom_fields.ts"
import { EmailLoginContract } from "./email_login.ts"
import { HealthContract } from "./health.ts"
import { IdentityContract } from "./identity.ts"
import { IdentityProviderAdminContract } from "./identity_provider_admin.ts"
import { MfaContract } from "./mfa.ts"
import { PasskeysContract } from "./passkeys.ts"
import { omitMethods, pickMethods } from "./pick_methods.ts"
import { RbacContract } from "./rbac.ts"
import type { InterfaceOf } from "./serve_all.ts"
import { SettingsContract } from "./settings.ts"
import { UpstreamContract } from "./upstream.ts"
import { UserAdminContract } from "./user_admin.ts"
import { UserProfileContract } from "./user_profile.ts"

/** Clients, users, consents and challenges of a sign-in — without the seed's upserts. */
export const IdentitySignInContract = omitMethods(IdentityContract, ["upsertClient", "upsertUser"])
/** Upstream sign-in — without the seed's provider upsert. */
export const UpstreamSignInContract = omitMethods(UpstreamContract, ["upsertIdentityProvider"])
/** RFC 7591/7592 registration and management by the client itself — without the admin's initial access tokens. */
export const SelfRegistrationContract = pickMethods(ClientRegistrationContract, ["registerClient", "readRegisteredClient", "updateRegisteredClient", "deregisterClient"])
/** Initial access tokens (RFC 7591 §3): the admin's part of registration. */
export const InitialAccessTokensContract = pickMethods(ClientRegistrationContract, ["createInitialAccessToken", "listInitialAccessTokens", "revokeInitialAccessToken"])
/** The system settings as pages read them. */
export const SettingsReadContract = pickMethods(SettingsContract, ["getSettings"])
/** The branding document as pages read it. */
export const BrandingReadContract = pickMethods(BrandingContract, ["getBranding"])
/** A user's own custom field values, and the definitions the account page shows them with. */
export const UserCustomFieldsContract = pickMethods(CustomFieldsContract, ["listCustomFieldDefinitions", "getUserCustomFields", "updateUserCustomFields"])
/** A user's permissions (the admin scope and console sign-in check them). */
export const PermissionsReadContract = pickMethods(RbacContract, ["getUserPermissions"])

/** Entrypoint `IdentityForEdge`. */
export const IdentityForEdgeContracts = [
  IdentitySignInContract, PasskeysContract, MfaContract, EmailLoginContract, UpstreamSignInContract, ClientAuthContract, AccountSecurityContract,
  SelfRegistrationContract, SettingsReadContract, BrandingReadContract, UserProfileContract, AvatarsContract, UserCustomFieldsContract,
  PermissionsReadContract, HealthContract
] as const
/** RPC interface of `IdentityForEdge`. */
export type IdentityForEdgeRpc = InterfaceOf<typeof IdentityForEdgeContracts>

/** Entrypoint `IdentityAdmin`. */
export const IdentityAdminContracts = [
  UserAdminContract, RbacContract, ClientAdminContract, AuditLogContract, CustomFieldsContract, IdentityProviderAdminContract, SettingsContract,
  BrandingContract, InitialAccessTokensContract, UserProfileContract, AvatarsContract
] as const
/** RPC interface of `IdentityAdmin`. */
export type IdentityAdminRpc = InterfaceOf<typeof IdentityAdminContracts>

/** The seed's upserts of clients and users (created or brought to the seed file's values). */
export const SeedUpsertsContract = pickMethods(IdentityContract, ["upsertClient", "upsertUser"])
/** The seed's upserts of upstream identity providers. */
export const SeedProvidersContract = pickMethods(UpstreamContract, ["upsertIdentityProvider"])
/** Custom fields and scope mappings as a seed file sets them. */
export const SeedCustomFieldsContract = pickMethods(CustomFieldsContract, ["listCustomFieldDefinitions", "createCustomFieldDefinition", "updateCustomFieldDefinition", "putScopeMapping", "updateUserCustomFields"])
/** A seeded user's profile claims. */
export const SeedProfileContract = pickMethods(UserProfileContract, ["updateUserProfile"])
/** A seeded user's TOTP (the seed file's secret, enrolled and confirmed). */
export const SeedTotpContract = pickMethods(MfaContract, ["getMfaStatus", "beginTotpEnrolment", "confirmTotpEnrolment"])
/** Roles and their holders as a seed file sets them. */
export const SeedRolesContract = pickMethods(RbacContract, ["listRoles", "createRole", "updateRole", "assignRole"])
/** The seed file's branding. */
export const SeedBrandingContract = pickMethods(BrandingContract, ["updateBranding"])
/** Initial access tokens the seed file asks for. */
export const SeedInitialAccessTokensContract = pickMethods(ClientRegistrationContract, ["createInitialAccessToken"])

/** Entrypoint `IdentitySeed`. */
export const IdentitySeedContracts = [
  SeedUpsertsContract, SeedProvidersContract, SeedCustomFieldsContract, SeedProfileContract, SeedTotpContract, SeedRolesContract, SeedBrandingContract, SeedInitialAccessTokensContract
] as const
/** RPC interface of `IdentitySeed`. */
export type IdentitySeedRpc = InterfaceOf<typeof IdentitySeedContracts>
