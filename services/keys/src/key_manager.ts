/**
 * KeyManager Durable Object: the one place signing keys are created, rotated
 * and stored (singleton, see env.ts). Its methods are Effect boundaries.
 *
 * `jwks`, `listKeys` and `rotate` return only public data. `signingKey` hands
 * the active private JWK to the keys worker so it can sign from isolate memory
 * (DESIGN §2); it is internal to this service — not in `KeysContract`, and no
 * entrypoint method returns its result. See storage-schema.md.
 */
import { Clock, Effect, Semaphore } from "effect"
import { Unavailable, type KeyInfo, type SigningAlg } from "@authrim/contracts"
import type { KeysEnv } from "./env.ts"
import { activeKeyOf, maintainKeys, needsMaintenance, publishedKeys, toKeyInfo } from "./key_lifecycle.ts"
import { KeyStore, type PrivateJwk, type PublishedJwk, type StoredKey } from "./key_store.ts"
import { MeteredDurableObject, meteredEnv } from "@authrim/cost-meter"
import { AuditTrail, auditTrailOf } from "@authrim/audit-trail"
import { keysBindingMeters } from "./env.ts"

/** The active key of one alg as the keys worker needs it to sign. Internal to the keys service. */
export interface SigningKeyMaterial {
  readonly kid: string
  readonly alg: SigningAlg
  readonly privateJwk: PrivateJwk
}

/**
 * The published key set, maintained first when something is missing or due.
 * The check runs without the lock (a read on every call), the work under it
 * (`maintainKeys` re-reads, so waiters that lost the race change nothing).
 */
const currentKeys = Effect.fnUntraced(function*(
  maintenance: Semaphore.Semaphore
): Effect.fn.Return<ReadonlyArray<StoredKey>, Unavailable, KeyStore | AuditTrail> {
  const store = yield* KeyStore
  const now = yield* Clock.currentTimeMillis
  const keys = yield* store.all
  if (!needsMaintenance(keys, now)) return publishedKeys(keys, now)
  return yield* maintenance.withPermit(maintainKeys(false))
})

/** The active private key of `alg` (maintained first when due). None after maintenance would be a fault of this object: `Unavailable`. */
const activeSigningKey = Effect.fnUntraced(function*(
  maintenance: Semaphore.Semaphore,
  alg: SigningAlg
): Effect.fn.Return<SigningKeyMaterial, Unavailable, KeyStore | AuditTrail> {
  const store = yield* KeyStore
  const active = activeKeyOf(yield* currentKeys(maintenance), alg)
  const privateJwk = active === undefined ? undefined : yield* store.privateJwkOf(active.kid)
  if (active === undefined || privateJwk === undefined) {
    return yield* new Unavailable({ service: "keys", reason: `KeyManager: no active ${alg} key after maintenance` })
  }
  return { kid: active.kid, alg, privateJwk }
})

export class KeyManager extends MeteredDurableObject<KeysEnv> {
  /**
   * Where this object reads the time. Live by default; tests swap in a manual
   * clock through `runInDurableObject` to cross the 90- and 30-day marks.
   * An instance field, so it is not reachable over RPC.
   */
  clock: Clock.Clock = Clock.Clock.defaultValue()

  /**
   * Where rotations are recorded (`key.rotated`, src/key_lifecycle.ts): the worker's AUDIT_QUEUE. Rotation happens
   * only in here (the cron, a forced `rotate`, or lazily on the first use after a key fell due), so this is where the
   * fact is known. Tests swap in a collecting trail through `runInDurableObject`, as they do the clock.
   */
  audit: (typeof AuditTrail)["Service"]

  readonly #store: KeyStore["Service"]
  /**
   * Serialises maintenance: key generation awaits WebCrypto, which lets other
   * requests in, so without it 20 concurrent first uses would create 20 keys.
   */
  readonly #maintenance = Semaphore.makeUnsafe(1)

  constructor(ctx: DurableObjectState, env: KeysEnv) {
    // Rebinding the parameter: with the cost meter on, the rest of the constructor must see the metered bindings too.
    env = meteredEnv(env, keysBindingMeters)
    super(ctx, env)
    this.#store = KeyStore.fromStorage(ctx.storage)
    this.audit = auditTrailOf(env.AUDIT_QUEUE)
  }

  /** Public JWKS entries (kid, alg, use: "sig"): active keys and retired ones still verifying. */
  async jwks(): Promise<{ keys: Array<PublishedJwk> }> {
    const keys = await this.#run(currentKeys(this.#maintenance))
    return { keys: keys.map((key) => key.publicJwk) }
  }

  /** Metadata of every published key. */
  async listKeys(): Promise<Array<typeof KeyInfo.Type>> {
    return (await this.#run(currentKeys(this.#maintenance))).map(toKeyInfo)
  }

  /** Rotates every alg whose key is due, or all of them when `force`; returns the published keys. */
  async rotate(force: boolean): Promise<Array<typeof KeyInfo.Type>> {
    const keys = await this.#run(force ? this.#maintenance.withPermit(maintainKeys(true)) : currentKeys(this.#maintenance))
    return keys.map(toKeyInfo)
  }

  /** Internal: the active private key of `alg` for the keys worker's signing cache. */
  async signingKey(alg: SigningAlg): Promise<SigningKeyMaterial> {
    return this.#run(activeSigningKey(this.#maintenance, alg))
  }

  /** This object's one Effect boundary: its store, (test-swappable) clock and audit trail, provided here and nowhere else. */
  #run<A>(effect: Effect.Effect<A, Unavailable, KeyStore | AuditTrail>): Promise<A> {
    return Effect.runPromise(effect.pipe(
      Effect.provideService(KeyStore, this.#store),
      Effect.provideService(AuditTrail, this.audit),
      Effect.provideService(Clock.Clock, this.clock)
    ))
  }
}
