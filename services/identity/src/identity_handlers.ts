/**
 * The identity worker's RPC handlers — one program of this service's src per
 * method (see contracts/src for what each method means) — and the Layer they
 * run on. The entrypoints (identity_service.ts) each serve a part of them:
 * one per caller role (contracts/src/identity_entrypoints.ts).
 */
import {
  AccountSecurityContract,
  AvatarsContract,
  AuditLogContract,
  ClientAdminContract,
  ClientAuthContract,
  ClientRegistrationContract,
  CustomFieldsContract,
  EmailLoginContract,
  IdentityProviderAdminContract,
  IdentityContract,
  MfaContract,
  PasskeysContract,
  RbacContract,
  type HandlersOf,
  SettingsContract,
  BrandingContract,
  UpstreamContract,
  UserAdminContract,
  UserProfileContract
} from "@authrim/contracts"
import { checkHealth, HealthContract } from "@authrim/contracts"
import { identityHealthLayer } from "./identity_health.ts"
import { Effect, Layer } from "effect"
import { getAvatar, removeAvatar, setAvatar } from "./avatars/avatar_store.ts"
import { consumeChallenge, createChallenge, peekChallenge } from "./challenges/challenges.ts"
import { authenticateClientAssertion } from "./clients/client_assertion.ts"
import { authenticateClient, getClient, upsertClient } from "./clients/clients.ts"
import { deregisterClient, readRegisteredClient, updateRegisteredClient } from "./clients/client_registration_configuration.ts"
import { registerClient } from "./clients/client_registration_create.ts"
import { createInitialAccessToken, listInitialAccessTokens, revokeInitialAccessToken } from "./clients/initial_access_tokens.ts"
import { verifyRequestObject } from "./clients/request_object.ts"
import { confirmEmailChange, requestEmailChange } from "./email/email_change.ts"
import { readOutbox } from "./email/email_outbox.ts"
import { checkEmailDelivery } from "./email/email_transport.ts"
import { redeemMagicLink, requestMagicLink } from "./email/magic_link.ts"
import { notifySecurityChange } from "./email/security_notification.ts"
import type { ServiceEnv } from "./env.ts"
import { finishTransaction } from "./finished_transactions.ts"
import { identityServiceLayer } from "./identity_service_layer.ts"
import { verifySecondFactor } from "./mfa/second_factor.ts"
import { beginTotpEnrolment, confirmTotpEnrolment, disableTotp, getMfaStatus, regenerateRecoveryCodes } from "./mfa/totp_enrolment.ts"
import { finishPasskeyAuthentication, startPasskeyAuthentication } from "./passkeys/passkey_authentication.ts"
import { listPasskeys, removePasskey, renamePasskey } from "./passkeys/passkey_management.ts"
import { finishPasskeyRegistration, startPasskeyRegistration } from "./passkeys/passkey_registration.ts"
import { changePassword } from "./passwords/password_change.ts"
import { requestPasswordReset, resetPassword } from "./passwords/password_reset.ts"
import { beginUpstreamSignIn } from "./upstream/begin_upstream_sign_in.ts"
import { finishUpstreamSignIn } from "./upstream/finish_upstream_sign_in.ts"
import { listUpstreamProviders, upsertIdentityProvider } from "./upstream/identity_providers.ts"
import {
  createIdentityProvider, deleteIdentityProvider, getIdentityProvider, listIdentityProviders, setIdentityProviderEnabled, updateIdentityProvider
} from "./upstream/identity_provider_administration.ts"
import {
  createCustomFieldDefinition, deleteCustomFieldDefinition, getCustomFieldDefinition, listCustomFieldDefinitions, updateCustomFieldDefinition
} from "./custom_fields/custom_field_definitions.ts"
import { deleteScopeMapping, listScopeMappings, putScopeMapping } from "./custom_fields/scope_mapping_administration.ts"
import { getUserCustomFields, updateUserCustomFields } from "./custom_fields/user_custom_field_values.ts"
import { currentSettings, getSettings, updateSettings } from "./settings/system_settings.ts"
import { getBranding, updateBranding } from "./branding/branding_store.ts"
import { getConsent, grantConsent } from "./users/consents.ts"
import { getSignInMethods } from "./users/sign_in_methods.ts"
import { getUserClaims } from "./users/user_claims.ts"
import { createRole, deleteRole, getRole, listRoles, updateRole } from "./rbac/role_administration.ts"
import { assignRole, getUserPermissions, listUserRoles, unassignRole } from "./rbac/user_role_assignment.ts"
import { createClient, deleteClient, getClientRecord, listClients, rotateClientSecret, updateClient } from "./clients/client_administration.ts"
import { countAuditEventsPerDay, queryAuditLog } from "./audit/audit_entries.ts"
import { getUserProfile, updateUserProfile } from "./users/profile_edits.ts"
import { authenticatePassword, getUser, upsertUser } from "./users/users.ts"
import { recordUserAdminAction } from "./users/user_admin_audit.ts"
import { createUser } from "./users/user_admin_create.ts"
import { listConsents, revokeConsent } from "./users/user_admin_consents.ts"
import { deleteUser } from "./users/user_admin_delete.ts"
import { getUserDetail } from "./users/user_admin_detail.ts"
import { exportUser } from "./users/user_admin_export.ts"
import { resetUserMfa } from "./users/user_admin_mfa_reset.ts"
import { searchUsers } from "./users/user_admin_search.ts"
import { setUserDisabled, updateUser } from "./users/user_admin_update.ts"

/** Every contract the identity worker implements, in whole. */
const identityContracts = [
  IdentityContract, PasskeysContract, MfaContract, EmailLoginContract, UpstreamContract, ClientAuthContract, AccountSecurityContract, UserAdminContract,
  ClientRegistrationContract, SettingsContract, BrandingContract, UserProfileContract, HealthContract, AvatarsContract, RbacContract, ClientAdminContract,
  AuditLogContract, CustomFieldsContract, IdentityProviderAdminContract
] as const

/** One handler per method of every identity contract. */
export const identityHandlers: HandlersOf<typeof identityContracts, Layer.Success<ReturnType<typeof identityServiceLayer>>> = {
  /** Deep health (contracts/src/health.ts): probes of what this worker is bound to, see src/identity_health.ts. */
  health: checkHealth,
  // Avatars in R2 AVATARS (contracts/src/avatars.ts, src/avatars/).
  setAvatar,
  removeAvatar,
  getAvatar,
  // Clients, users, consents, challenges (contracts/src/identity.ts, client_auth.ts).
  getClient: ({ clientId }) => getClient(clientId),
  authenticateClient,
  authenticateClientAssertion,
  verifyRequestObject,
  upsertClient,
  upsertUser,
  authenticatePassword,
  getUser: ({ userId }) => getUser(userId),
  getUserClaims,
  getConsent,
  grantConsent,
  createChallenge,
  peekChallenge,
  consumeChallenge,
  finishTransaction,
  // Passkeys (contracts/src/passkeys.ts): the relying party comes from this worker's WEBAUTHN_* vars.
  startPasskeyRegistration,
  finishPasskeyRegistration,
  startPasskeyAuthentication,
  finishPasskeyAuthentication,
  listPasskeys,
  renamePasskey,
  removePasskey,
  // Second factor (contracts/src/mfa.ts): TOTP secrets under MFA_ENCRYPTION_KEY.
  getMfaStatus,
  beginTotpEnrolment,
  confirmTotpEnrolment,
  verifySecondFactor,
  disableTotp,
  regenerateRecoveryCodes,
  // Account security (contracts/src/account_security.ts): step-up methods, change notices, email change.
  getSignInMethods,
  notifySecurityChange,
  requestEmailChange,
  confirmEmailChange,
  // Email sign-in and password recovery (contracts/src/email_login.ts): email goes out through EMAIL_TRANSPORT.
  requestMagicLink,
  redeemMagicLink,
  checkEmailDelivery: () => Effect.as(checkEmailDelivery, {}),
  requestPasswordReset,
  resetPassword,
  changePassword,
  readOutbox,
  // Standard claims (contracts/src/user_profile.ts): the account page (the user) and the console (an admin).
  getUserProfile,
  updateUserProfile,
  // System settings (contracts/src/settings.ts): KV SETTINGS, this isolate's copy, audited writes.
  getSettings: () => getSettings(),
  updateSettings,
  // Branding (contracts/src/branding.ts): D1 branding_settings, this isolate's copy, audited conditional writes.
  getBranding: () => getBranding(),
  updateBranding,
  // Upstream identity providers (contracts/src/upstream.ts).
  // The login page's "Sign in with …" buttons: none while upstream sign-in is turned off in the settings.
  listUpstreamProviders: () => Effect.flatMap(currentSettings, (settings) => settings.signInMethods.upstream ? listUpstreamProviders : Effect.succeed({ providers: [] })),
  upsertIdentityProvider,
  // Identity-provider administration (contracts/src/identity_provider_admin.ts): the secret is write-only.
  listIdentityProviders: () => listIdentityProviders(),
  getIdentityProvider,
  createIdentityProvider,
  updateIdentityProvider,
  setIdentityProviderEnabled,
  deleteIdentityProvider,
  // Custom fields and scope mappings (contracts/src/custom_fields.ts).
  listCustomFieldDefinitions: () => listCustomFieldDefinitions(),
  getCustomFieldDefinition,
  createCustomFieldDefinition,
  updateCustomFieldDefinition,
  deleteCustomFieldDefinition,
  listScopeMappings: () => listScopeMappings(),
  putScopeMapping,
  deleteScopeMapping,
  getUserCustomFields,
  updateUserCustomFields,
  beginUpstreamSignIn,
  finishUpstreamSignIn,
  // User administration (contracts/src/user_admin.ts): the admin API's users and consents; every write audited.
  createUser,
  searchUsers,
  getUserDetail,
  updateUser,
  setUserDisabled,
  deleteUser,
  exportUser,
  listConsents,
  revokeConsent,
  resetUserMfa,
  recordUserAdminAction,
  // RBAC (contracts/src/rbac.ts): roles, user roles, effective permissions.
  listRoles: () => listRoles(),
  getRole,
  createRole,
  updateRole,
  deleteRole,
  assignRole,
  unassignRole,
  listUserRoles,
  getUserPermissions,
  // Client administration (contracts/src/client_admin.ts) and the audit trail's read side (audit_log_read.ts).
  listClients,
  getClientRecord,
  createClient,
  updateClient,
  deleteClient,
  rotateClientSecret,
  queryAuditLog,
  countAuditEventsPerDay,
  // Dynamic client registration (contracts/src/client_registration.ts): RFC 7591/7592 and initial access tokens.
  registerClient,
  readRegisteredClient,
  updateRegisteredClient,
  deregisterClient,
  createInitialAccessToken,
  listInitialAccessTokens,
  revokeInitialAccessToken
}
