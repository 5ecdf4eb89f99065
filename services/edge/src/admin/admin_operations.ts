/**
 * Every operation of the admin API, in document order: the router and the
 * OpenAPI document read this one list, so a route cannot exist undocumented.
 *
 * Seam for the user-administration slice (issue 12, users/sessions/consents):
 * `user_admin_operations.ts` exports its `adminOperation(…)` list, appended here.
 */
import type { AdminOperation } from "./admin_operation.ts"
import { auditOperations } from "./admin_audit_routes.ts"
import { clientOperations } from "./admin_clients_routes.ts"
import { keyOperations } from "./admin_keys_routes.ts"
import { roleOperations } from "./admin_roles_routes.ts"

export const adminOperations: ReadonlyArray<AdminOperation> = [...clientOperations, ...roleOperations, ...keyOperations, ...auditOperations]
