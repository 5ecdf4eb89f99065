/**
 * `IdentityDirectory` (issue 13 §1): the entrypoint another team's Worker
 * binds to read users — `services: [{ binding: "AUTHRIM_DIRECTORY", service:
 * "authrim-identity", entrypoint: "IdentityDirectory" }]`. Only the public
 * profile, the roles and a permission check (contracts/src/directory.ts); it
 * shares the IdentityService runtime (the same `identityServiceLayer`).
 */
import { DirectoryContract, serveAll } from "@authrim/contracts"
import { meteredEnv } from "@authrim/cost-meter"
import { WorkerEntrypoint } from "cloudflare:workers"
import { getRoleNames, hasPermission } from "./directory/permission_check.ts"
import { getPublicProfile } from "./directory/public_profile.ts"
import { identityBindingMeters, type ServiceEnv } from "./env.ts"
import { identityServiceLayer } from "./identity_service_layer.ts"

export class IdentityDirectory extends serveAll(WorkerEntrypoint<ServiceEnv>, {
  name: "identity",
  contracts: [DirectoryContract],
  layer: identityServiceLayer,
  handlers: { getPublicProfile, getRoles: getRoleNames, hasPermission }
}) {
  constructor(ctx: ExecutionContext, env: ServiceEnv) {
    // As IdentityService: with the cost meter on, it counts this worker's binding calls (packages/cost-meter).
    super(ctx, meteredEnv(env, identityBindingMeters))
  }
}
