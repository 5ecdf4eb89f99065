/**
 * authrim-identity: the `IdentityService` entrypoint (see contracts/src/identity.ts)
 * and the `ChallengeStore` Durable Object. Each method decodes, runs its
 * program with this isolate's bindings, and encodes the outcome via `serve`.
 */
import { IdentityContract, serve, type IdentityRpc } from "@authrim/contracts"
import { WorkerEntrypoint } from "cloudflare:workers"
import { Effect } from "effect"
import { consumeChallenge, createChallenge, peekChallenge } from "./challenges.ts"
import { ClientMemoryCache } from "./client_memory_cache.ts"
import { authenticateClient, getClient, upsertClient } from "./clients.ts"
import { getConsent, grantConsent } from "./consents.ts"
import type { ServiceEnv } from "./env.ts"
import { IdentityBindings } from "./identity_bindings.ts"
import { ScopeMappingCache } from "./scope_mapping_cache.ts"
import { getUserClaims } from "./user_claims.ts"
import { authenticatePassword, getUser, upsertUser } from "./users.ts"

export { ChallengeStore } from "./challenge_store.ts"

/** Per-isolate caches: they outlive a single request on purpose (that is what makes them save KV/D1 reads). */
const clientMemory = new ClientMemoryCache()
const scopeMappings = new ScopeMappingCache()

export class IdentityService extends WorkerEntrypoint<ServiceEnv> implements IdentityRpc {
  private run<A, E>(program: Effect.Effect<A, E, IdentityBindings>): Effect.Effect<A, E> {
    return Effect.provideService(program, IdentityBindings, {
      db: this.env.DB,
      clientsKv: this.env.CLIENTS,
      challenges: this.env.CHALLENGES,
      clientMemory,
      scopeMappings
    })
  }

  getClient(input: unknown) {
    return serve(IdentityContract.getClient, input, (i) => this.run(getClient(i.clientId)))
  }
  authenticateClient(input: unknown) {
    return serve(IdentityContract.authenticateClient, input, (i) => this.run(authenticateClient(i)))
  }
  upsertClient(input: unknown) {
    return serve(IdentityContract.upsertClient, input, (i) => this.run(upsertClient(i)))
  }
  upsertUser(input: unknown) {
    return serve(IdentityContract.upsertUser, input, (i) => this.run(upsertUser(i)))
  }
  authenticatePassword(input: unknown) {
    return serve(IdentityContract.authenticatePassword, input, (i) => this.run(authenticatePassword(i)))
  }
  getUser(input: unknown) {
    return serve(IdentityContract.getUser, input, (i) => this.run(getUser(i.userId)))
  }
  getUserClaims(input: unknown) {
    return serve(IdentityContract.getUserClaims, input, (i) => this.run(getUserClaims(i)))
  }
  getConsent(input: unknown) {
    return serve(IdentityContract.getConsent, input, (i) => this.run(getConsent(i)))
  }
  grantConsent(input: unknown) {
    return serve(IdentityContract.grantConsent, input, (i) => this.run(grantConsent(i)))
  }
  createChallenge(input: unknown) {
    return serve(IdentityContract.createChallenge, input, (i) => this.run(createChallenge(i)))
  }
  peekChallenge(input: unknown) {
    return serve(IdentityContract.peekChallenge, input, (i) => this.run(peekChallenge(i)))
  }
  consumeChallenge(input: unknown) {
    return serve(IdentityContract.consumeChallenge, input, (i) => this.run(consumeChallenge(i)))
  }
}

export default { fetch: () => new Response("identity: internal service", { status: 404 }) }
