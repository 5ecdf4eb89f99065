/**
 * Least privilege (issue 13 §2): each committed binding to authrim-identity carries exactly the methods
 * its caller needs. A method added to an entrypoint, or a new binding, fails here until the owners of
 * this list agree (CODEOWNERS: the identity team). The check is test-support/binding_surface.ts.
 */
import { env, WorkerEntrypoint } from "cloudflare:workers"
import { bindingSurfaceSuite, type AllowLists } from "../../../test-support/binding_surface.ts"
import * as worker from "../src/index.ts"

const allowLists: AllowLists = {
  /** Sign-in, self-service account pages, client authentication, RFC 7591/7592 registration, page reads: no administration, no seeding. */
  "authrim-edge IDENTITY": [
    "authenticateClient", "authenticateClientAssertion", "authenticatePassword", "beginTotpEnrolment", "beginUpstreamSignIn",
    "changePassword", "checkEmailDelivery", "confirmEmailChange", "confirmTotpEnrolment", "consumeChallenge", "createChallenge",
    "deregisterClient", "disableTotp", "finishPasskeyAuthentication", "finishPasskeyRegistration", "finishTransaction",
    "finishUpstreamSignIn", "getAvatar", "getBranding", "getClient", "getConsent", "getMfaStatus", "getSettings",
    "getSignInMethods", "getUser", "getUserClaims", "getUserCustomFields", "getUserPermissions", "getUserProfile",
    "grantConsent", "health", "listCustomFieldDefinitions", "listPasskeys", "listUpstreamProviders", "notifySecurityChange",
    "peekChallenge", "readOutbox", "readRegisteredClient", "redeemMagicLink", "regenerateRecoveryCodes", "registerClient",
    "removeAvatar", "removePasskey", "renamePasskey", "requestEmailChange", "requestMagicLink", "requestPasswordReset",
    "resetPassword", "setAvatar", "startPasskeyAuthentication", "startPasskeyRegistration", "updateRegisteredClient",
    "updateUserCustomFields", "updateUserProfile", "verifyRequestObject", "verifySecondFactor"
  ],
  /** The admin API (services/edge/src/admin only): users, roles, clients, fields, providers, settings, branding, initial access tokens, audit log. */
  "authrim-edge IDENTITY_ADMIN": [
    "assignRole", "countAuditEventsPerDay", "createClient", "createCustomFieldDefinition", "createIdentityProvider",
    "createInitialAccessToken", "createRole", "createUser", "deleteClient", "deleteCustomFieldDefinition",
    "deleteIdentityProvider", "deleteRole", "deleteScopeMapping", "deleteUser", "exportUser", "getAvatar", "getBranding",
    "getClientRecord", "getCustomFieldDefinition", "getIdentityProvider", "getRole", "getSettings", "getUserCustomFields",
    "getUserDetail", "getUserPermissions", "getUserProfile", "listClients", "listConsents", "listCustomFieldDefinitions",
    "listIdentityProviders", "listInitialAccessTokens", "listRoles", "listScopeMappings", "listUserRoles", "putScopeMapping",
    "queryAuditLog", "recordUserAdminAction", "removeAvatar", "resetUserMfa", "revokeConsent", "revokeInitialAccessToken",
    "rotateClientSecret", "searchUsers", "setAvatar", "setIdentityProviderEnabled", "setUserDisabled", "unassignRole",
    "updateBranding", "updateClient", "updateCustomFieldDefinition", "updateIdentityProvider", "updateRole", "updateSettings",
    "updateUser", "updateUserCustomFields", "updateUserProfile"
  ],
  /** Other teams' Workers (issue 13 §1, packages/client): a user's public profile, roles, a permission check. */
  "public IdentityDirectory": [
    "getPublicProfile", "getRoles", "hasPermission"
  ],
  /** `npm run seed` (local tooling, never deployed): the upserts and what a seed file may set. */
  "authrim-seed-runner IDENTITY": [
    "assignRole", "beginTotpEnrolment", "confirmTotpEnrolment", "createCustomFieldDefinition", "createInitialAccessToken",
    "createRole", "getMfaStatus", "listCustomFieldDefinitions", "listRoles", "putScopeMapping", "updateBranding",
    "updateCustomFieldDefinition", "updateRole", "updateUserCustomFields", "updateUserProfile", "upsertClient",
    "upsertIdentityProvider", "upsertUser"
  ]
}

bindingSurfaceSuite("authrim-identity", env.SERVICE_BINDINGS_IN_REPO, worker, allowLists, WorkerEntrypoint)
