/**
 * Every operation of the admin API, in document order: the router and the
 * OpenAPI document read this one list, so a route cannot exist undocumented.
 */
import type { AdminOperation } from "./admin_operation.ts"
import { auditOperations } from "./admin_audit_routes.ts"
import { brandingOperations } from "./admin_branding_routes.ts"
import { clientOperations } from "./admin_clients_routes.ts"
import { consentOperations } from "./admin_consents_routes.ts"
import { keyOperations } from "./admin_keys_routes.ts"
import { registrationTokenOperations } from "./admin_registration_tokens_routes.ts"
import { roleOperations } from "./admin_roles_routes.ts"
import { sessionOperations } from "./admin_sessions_routes.ts"
import { settingsOperations } from "./admin_settings_routes.ts"
import { statsOperations } from "./admin_stats_routes.ts"
import { userOperations } from "./admin_users_routes.ts"
import { customFieldOperations } from "./admin_custom_fields_routes.ts"
import { identityProviderOperations } from "./admin_identity_providers_routes.ts"
import { scopeMappingOperations } from "./admin_scope_mappings_routes.ts"
import { avatarOperations } from "./admin_avatar_routes.ts"

export const adminOperations: ReadonlyArray<AdminOperation> = [
  ...clientOperations, ...registrationTokenOperations, ...userOperations, ...sessionOperations, ...consentOperations,
  ...roleOperations, ...keyOperations, ...auditOperations, ...settingsOperations,
  // Custom fields, scope mappings, identity providers (issue 12 §1, §4).
  ...customFieldOperations, ...scopeMappingOperations, ...identityProviderOperations,
  ...brandingOperations,
  // A user's avatar set / removed by an admin (console-schema).
  ...avatarOperations,
  // The console's dashboard (issue 12 §2).
  ...statsOperations
]
