/**
 * `IdentityDirectory` (issue 13 §1): the entrypoint another team's Worker
 * binds to read users — `services: [{ binding: "AUTHRIM_DIRECTORY", service:
 * "authrim-identity", entrypoint: "IdentityDirectory" }]`. Only the public
 * profile, the roles and a permission check (contracts/src/directory.ts); it
 * shares the runtime of IdentityForEdge and the other entrypoints (the same `identityServiceLayer`).
 */
import { DirectoryContract, serveAll } from "@authrim/contracts"
import { MeteredIdentityEntrypoint } from "./identity_service.ts"
import { getRoleNames, hasPermission } from "./directory/permission_check.ts"
import { getPublicProfile } from "./directory/public_profile.ts"
import { identityServiceLayer } from "./identity_service_layer.ts"

export class IdentityDirectory extends serveAll(MeteredIdentityEntrypoint, {
  name: "identity",
  contracts: [DirectoryContract],
  layer: identityServiceLayer,
  handlers: { getPublicProfile, getRoles: getRoleNames, hasPermission }
}) {}
