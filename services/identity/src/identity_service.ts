/**
 * The identity worker's named entrypoints, one per caller role (issue 13 §2;
 * the method lists are contracts/src/identity_entrypoints.ts):
 * `IdentityForEdge` (edge `IDENTITY`), `IdentityAdmin` (edge `IDENTITY_ADMIN`,
 * the admin API only) and `IdentitySeed` (scripts/seed's runner). Each is
 * `serveAll` over the same handlers and the same Layer function, so the three
 * share one runtime per isolate and env. There is no entrypoint with every
 * method: a binding carries only its caller's part.
 */
import { IdentityAdminContracts, IdentityForEdgeContracts, IdentitySeedContracts, serveAll } from "@authrim/contracts"
import { meteredEnv } from "@authrim/cost-meter"
import { WorkerEntrypoint } from "cloudflare:workers"
import { identityBindingMeters, type ServiceEnv } from "./env.ts"
import { identityHandlers } from "./identity_handlers.ts"
import { identityServiceLayer } from "./identity_service_layer.ts"

/** Every identity entrypoint: with the cost meter on, it counts this worker's binding calls; off, `env` is passed as it is (packages/cost-meter). */
export class MeteredIdentityEntrypoint extends WorkerEntrypoint<ServiceEnv> {
  constructor(ctx: ExecutionContext, env: ServiceEnv) {
    super(ctx, meteredEnv(env, identityBindingMeters))
  }
}

/** The edge's runtime binding: sign-in, self-service, registration, page reads. */
export class IdentityForEdge extends serveAll(MeteredIdentityEntrypoint, {
  name: "identity",
  contracts: IdentityForEdgeContracts,
  layer: identityServiceLayer,
  handlers: identityHandlers
}) {}

/** The admin API's binding: administration of users, roles, clients, fields, providers, settings, branding. */
export class IdentityAdmin extends serveAll(MeteredIdentityEntrypoint, {
  name: "identity",
  contracts: IdentityAdminContracts,
  layer: identityServiceLayer,
  handlers: identityHandlers
}) {}

/** `npm run seed`'s binding (local tooling, never deployed): the upserts and what a seed file may set. */
export class IdentitySeed extends serveAll(MeteredIdentityEntrypoint, {
  name: "identity",
  contracts: IdentitySeedContracts,
  layer: identityServiceLayer,
  handlers: identityHandlers
}) {}
