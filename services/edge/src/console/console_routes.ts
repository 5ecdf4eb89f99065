/**
 * Every console page: method, path (`{name}` segments), the navigation section it
 * belongs to, and its handler. The router (console_router.ts) authenticates, checks
 * CSRF on POSTs and runs the handler. Adding a page: a handler file here in console/,
 * one line below, and (for a new area) one entry in console_navigation.ts.
 */
import type { ConsoleHandler } from "./console_call.ts"
import { auditPage } from "./console_audit_page.ts"
// console-branding
import { brandingFormPage, brandingPreviewFrame, updateBrandingForm } from "./console_branding_page.ts"
import {
  clientsListPage, confirmDeleteClient, createClient, deleteClient, editClientForm, newClientForm, rotateClientSecret, updateClient
} from "./console_clients_pages.ts"
import { dashboardPage } from "./console_dashboard_page.ts"
import { keysListPage, rotateKeysNow } from "./console_keys_page.ts"
import { createRegistrationToken, registrationTokensPage, revokeRegistrationToken } from "./console_registration_tokens_page.ts"
import { settingsFormPage, updateSettings } from "./console_settings_page.ts"
// console-schema
import {
  confirmDeleteCustomField, createCustomField, customFieldsListPage, deleteCustomField, editCustomFieldForm, updateCustomField
} from "./console_custom_fields_pages.ts"
import { addScopeMapping, deleteScopeMapping, scopeMappingsPage } from "./console_scope_mappings_page.ts"
import {
  confirmDeleteIdentityProvider, createIdentityProvider, deleteIdentityProvider, disableIdentityProvider, editIdentityProviderForm, enableIdentityProvider,
  identityProvidersListPage, newIdentityProviderForm, updateIdentityProvider
} from "./console_identity_providers_pages.ts"
import { createRole, deleteRole, editRoleForm, rolesListPage, updateRole } from "./console_roles_pages.ts"
import {
  assignUserRole, confirmDeleteUser, deleteUser, disableUser, enableUser, resetUserMfa, revokeUserConsent, revokeUserSession, revokeUserSessions,
  unassignUserRole, updateUserCustomValues, updateUserProfile, userDetailPage, usersSearchPage,
  removeUserAvatar, uploadUserAvatar, USER_AVATAR_UPLOAD
} from "./console_users_pages.ts"

/** One console page. */
export interface ConsoleRoute {
  readonly method: "GET" | "POST"
  readonly path: string
  readonly section: string
  readonly handle: ConsoleHandler
  /** A `multipart/form-data` POST (a file upload) read up to `maxBytes`: 413 page beyond; files in `call.files`. */
  readonly upload?: { readonly maxBytes: number }
}

export const consoleRoutes: ReadonlyArray<ConsoleRoute> = [
  { method: "GET", path: "/admin", section: "dashboard", handle: dashboardPage },
  { method: "GET", path: "/admin/clients", section: "clients", handle: clientsListPage },
  { method: "GET", path: "/admin/clients/new", section: "clients", handle: newClientForm },
  { method: "POST", path: "/admin/clients/new", section: "clients", handle: createClient },
  { method: "GET", path: "/admin/clients/{clientId}", section: "clients", handle: editClientForm },
  { method: "POST", path: "/admin/clients/{clientId}", section: "clients", handle: updateClient },
  { method: "POST", path: "/admin/clients/{clientId}/rotate", section: "clients", handle: rotateClientSecret },
  { method: "GET", path: "/admin/clients/{clientId}/delete", section: "clients", handle: confirmDeleteClient },
  { method: "POST", path: "/admin/clients/{clientId}/delete", section: "clients", handle: deleteClient },
  { method: "GET", path: "/admin/users", section: "users", handle: usersSearchPage },
  { method: "GET", path: "/admin/users/{userId}", section: "users", handle: userDetailPage },
  { method: "POST", path: "/admin/users/{userId}/disable", section: "users", handle: disableUser },
  { method: "POST", path: "/admin/users/{userId}/enable", section: "users", handle: enableUser },
  { method: "POST", path: "/admin/users/{userId}/sessions/revoke", section: "users", handle: revokeUserSessions },
  { method: "POST", path: "/admin/users/{userId}/sessions/{sessionId}/revoke", section: "users", handle: revokeUserSession },
  { method: "POST", path: "/admin/users/{userId}/mfa/reset", section: "users", handle: resetUserMfa },
  { method: "POST", path: "/admin/users/{userId}/profile", section: "users", handle: updateUserProfile },
  { method: "POST", path: "/admin/users/{userId}/roles/assign", section: "users", handle: assignUserRole },
  { method: "POST", path: "/admin/users/{userId}/roles/{roleId}/unassign", section: "users", handle: unassignUserRole },
  { method: "POST", path: "/admin/users/{userId}/consents/{clientId}/revoke", section: "users", handle: revokeUserConsent },
  { method: "GET", path: "/admin/users/{userId}/delete", section: "users", handle: confirmDeleteUser },
  { method: "POST", path: "/admin/users/{userId}/delete", section: "users", handle: deleteUser },
  { method: "GET", path: "/admin/roles", section: "roles", handle: rolesListPage },
  { method: "POST", path: "/admin/roles", section: "roles", handle: createRole },
  { method: "GET", path: "/admin/roles/{roleId}", section: "roles", handle: editRoleForm },
  { method: "POST", path: "/admin/roles/{roleId}", section: "roles", handle: updateRole },
  { method: "POST", path: "/admin/roles/{roleId}/delete", section: "roles", handle: deleteRole },
  { method: "GET", path: "/admin/audit", section: "audit", handle: auditPage },
  { method: "GET", path: "/admin/keys", section: "keys", handle: keysListPage },
  { method: "POST", path: "/admin/keys/rotate", section: "keys", handle: rotateKeysNow },
  { method: "GET", path: "/admin/initial-access-tokens", section: "registration", handle: registrationTokensPage },
  { method: "POST", path: "/admin/initial-access-tokens", section: "registration", handle: createRegistrationToken },
  { method: "POST", path: "/admin/initial-access-tokens/{tokenId}/revoke", section: "registration", handle: revokeRegistrationToken },
  { method: "GET", path: "/admin/settings", section: "settings", handle: settingsFormPage },
  { method: "POST", path: "/admin/settings", section: "settings", handle: updateSettings },
  // console-schema: custom fields, scope mappings, identity providers
  { method: "GET", path: "/admin/custom-fields", section: "customFields", handle: customFieldsListPage },
  { method: "POST", path: "/admin/custom-fields", section: "customFields", handle: createCustomField },
  { method: "GET", path: "/admin/custom-fields/{name}", section: "customFields", handle: editCustomFieldForm },
  { method: "POST", path: "/admin/custom-fields/{name}", section: "customFields", handle: updateCustomField },
  { method: "GET", path: "/admin/custom-fields/{name}/delete", section: "customFields", handle: confirmDeleteCustomField },
  { method: "POST", path: "/admin/custom-fields/{name}/delete", section: "customFields", handle: deleteCustomField },
  { method: "GET", path: "/admin/scope-mappings", section: "scopeMappings", handle: scopeMappingsPage },
  { method: "POST", path: "/admin/scope-mappings", section: "scopeMappings", handle: addScopeMapping },
  { method: "POST", path: "/admin/scope-mappings/{scope}/{claimName}/delete", section: "scopeMappings", handle: deleteScopeMapping },
  { method: "GET", path: "/admin/identity-providers", section: "identityProviders", handle: identityProvidersListPage },
  { method: "GET", path: "/admin/identity-providers/new", section: "identityProviders", handle: newIdentityProviderForm },
  { method: "POST", path: "/admin/identity-providers/new", section: "identityProviders", handle: createIdentityProvider },
  { method: "GET", path: "/admin/identity-providers/{providerId}", section: "identityProviders", handle: editIdentityProviderForm },
  { method: "POST", path: "/admin/identity-providers/{providerId}", section: "identityProviders", handle: updateIdentityProvider },
  { method: "POST", path: "/admin/identity-providers/{providerId}/enable", section: "identityProviders", handle: enableIdentityProvider },
  { method: "POST", path: "/admin/identity-providers/{providerId}/disable", section: "identityProviders", handle: disableIdentityProvider },
  { method: "GET", path: "/admin/identity-providers/{providerId}/delete", section: "identityProviders", handle: confirmDeleteIdentityProvider },
  { method: "POST", path: "/admin/identity-providers/{providerId}/delete", section: "identityProviders", handle: deleteIdentityProvider },
  { method: "POST", path: "/admin/users/{userId}/custom-fields", section: "users", handle: updateUserCustomValues },
  { method: "POST", path: "/admin/users/{userId}/avatar", section: "users", handle: uploadUserAvatar, upload: USER_AVATAR_UPLOAD },
  { method: "POST", path: "/admin/users/{userId}/avatar/remove", section: "users", handle: removeUserAvatar },
  // end console-schema
  // console-branding
  { method: "GET", path: "/admin/branding", section: "branding", handle: brandingFormPage },
  { method: "POST", path: "/admin/branding", section: "branding", handle: updateBrandingForm },
  { method: "GET", path: "/admin/branding/preview", section: "branding", handle: brandingPreviewFrame }
]
