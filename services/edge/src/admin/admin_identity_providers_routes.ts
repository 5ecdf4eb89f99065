/**
 * `/identity-providers` (permission `providers:*`): upstream "Sign in with …"
 * providers. Records are versioned (ETag / If-Match on PATCH and DELETE);
 * enable / disable are idempotent POSTs. The client secret is write-only: sent
 * on create / PATCH, never answered (`hasClientSecret` says whether one is
 * stored). URLs are https (http only on loopback), checked by identity.
 */
import { IdentityProviderChanges, IdentityProviderView, NewIdentityProvider } from "@authrim/contracts"
import { Effect, Schema } from "effect"
import { Edge } from "../edge_layer.ts"
import { domainProblem } from "./admin_domain_problems.ts"
import { adminOperation } from "./admin_operation.ts"

const ProviderList = Schema.Struct({ providers: Schema.Array(IdentityProviderView) })
const idOf = (params: Readonly<Record<string, string>>) => params["providerId"]!

const enabledOperation = (enabled: boolean) =>
  adminOperation({
    method: "POST", path: `/identity-providers/{providerId}/${enabled ? "enable" : "disable"}`,
    operationId: enabled ? "enableIdentityProvider" : "disableIdentityProvider",
    summary: enabled ? "Offer the provider on the login page again (idempotent)" : "Stop offering the provider (idempotent; user links stay)",
    tag: "identity-providers", permission: "providers:write", ifMatch: false,
    success: { status: 200, description: "The provider", schema: IdentityProviderView, etag: true },
    handle: Effect.fnUntraced(function*({ params, admin }) {
      const { adminBackends } = yield* Edge
      const provider = yield* adminBackends.providerAdmin.setIdentityProviderEnabled({ providerId: idOf(params), enabled, actorId: admin.userId }).pipe(Effect.mapError(domainProblem))
      return { status: 200, body: provider, etag: provider.version }
    })
  })

export const identityProviderOperations = [
  adminOperation({
    method: "GET", path: "/identity-providers", operationId: "listIdentityProviders", summary: "List upstream identity providers (enabled or not)", tag: "identity-providers",
    permission: "providers:read", ifMatch: false,
    success: { status: 200, description: "Every provider, by name (no secrets)", schema: ProviderList },
    handle: Effect.fnUntraced(function*() {
      const { adminBackends } = yield* Edge
      return { status: 200, body: yield* adminBackends.providerAdmin.listIdentityProviders({}).pipe(Effect.mapError(domainProblem)) }
    })
  }),
  adminOperation({
    method: "POST", path: "/identity-providers", operationId: "createIdentityProvider", summary: "Add an upstream identity provider", tag: "identity-providers",
    permission: "providers:write", ifMatch: false, body: NewIdentityProvider,
    success: { status: 201, description: "The provider (without its secret)", schema: IdentityProviderView, etag: true },
    handle: Effect.fnUntraced(function*({ body, admin }) {
      const { adminBackends } = yield* Edge
      const provider = yield* adminBackends.providerAdmin.createIdentityProvider({ provider: body, actorId: admin.userId }).pipe(Effect.mapError(domainProblem))
      return { status: 201, body: provider, etag: provider.version }
    })
  }),
  adminOperation({
    method: "GET", path: "/identity-providers/{providerId}", operationId: "getIdentityProvider", summary: "Read an upstream identity provider", tag: "identity-providers",
    permission: "providers:read", ifMatch: false,
    success: { status: 200, description: "The provider (without its secret)", schema: IdentityProviderView, etag: true },
    handle: Effect.fnUntraced(function*({ params }) {
      const { adminBackends } = yield* Edge
      const provider = yield* adminBackends.providerAdmin.getIdentityProvider({ providerId: idOf(params) }).pipe(Effect.mapError(domainProblem))
      return { status: 200, body: provider, etag: provider.version }
    })
  }),
  adminOperation({
    method: "PATCH", path: "/identity-providers/{providerId}", operationId: "updateIdentityProvider",
    summary: "Change a provider (absent fields stay, null clears; clientSecret is write-only)", tag: "identity-providers",
    permission: "providers:write", ifMatch: true, body: IdentityProviderChanges,
    success: { status: 200, description: "The provider (without its secret)", schema: IdentityProviderView, etag: true },
    handle: Effect.fnUntraced(function*({ params, body, admin, ifMatch }) {
      const { adminBackends } = yield* Edge
      const provider = yield* adminBackends.providerAdmin.updateIdentityProvider({ providerId: idOf(params), expectedVersion: ifMatch!, changes: body, actorId: admin.userId })
        .pipe(Effect.mapError(domainProblem))
      return { status: 200, body: provider, etag: provider.version }
    })
  }),
  enabledOperation(true),
  enabledOperation(false),
  adminOperation({
    method: "DELETE", path: "/identity-providers/{providerId}", operationId: "deleteIdentityProvider",
    summary: "Delete a provider; the users' links to it go with it (their accounts stay)", tag: "identity-providers",
    permission: "providers:write", ifMatch: true,
    success: { status: 200, description: "How many user links went with it", schema: Schema.Struct({ linksRemoved: Schema.Number }) },
    handle: Effect.fnUntraced(function*({ params, admin, ifMatch }) {
      const { adminBackends } = yield* Edge
      return { status: 200, body: yield* adminBackends.providerAdmin.deleteIdentityProvider({ providerId: idOf(params), expectedVersion: ifMatch!, actorId: admin.userId }).pipe(Effect.mapError(domainProblem)) }
    })
  })
]
