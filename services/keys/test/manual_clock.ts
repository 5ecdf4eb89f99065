/**
 * A clock tests move by hand, installed into a KeyManager through
 * `runInDurableObject`, so 90- and 30-day boundaries are crossed without sleeping.
 */
import { Clock, Effect } from "effect"
import { runInDurableObject } from "cloudflare:test"
import type { KeyManager } from "../src/key_manager.ts"

export const day = 24 * 60 * 60 * 1000

/** A clock reading `now` until `advance` moves it. */
export class ManualClock implements Clock.Clock {
  #now: number
  readonly #live = Clock.Clock.defaultValue()
  constructor(start: number) {
    this.#now = start
  }
  get now(): number {
    return this.#now
  }
  advance(ms: number): void {
    this.#now += ms
  }
  currentTimeMillisUnsafe = (): number => this.#now
  currentTimeMillis = Effect.sync(() => this.#now)
  currentTimeNanosUnsafe = (): bigint => BigInt(this.#now) * 1_000_000n
  currentTimeNanos = Effect.sync(() => BigInt(this.#now) * 1_000_000n)
  monotonicTimeNanosUnsafe = (): bigint => this.#live.monotonicTimeNanosUnsafe()
  monotonicTimeNanos = Effect.sync(() => this.#live.monotonicTimeNanosUnsafe())
  sleep = this.#live.sleep
}

/** Installs a fresh manual clock (starting at `start`) into the KeyManager behind `stub`. */
export const installManualClock = async (stub: DurableObjectStub<KeyManager>, start = Date.now()): Promise<ManualClock> => {
  const clock = new ManualClock(start)
  await runInDurableObject(stub, (instance: KeyManager) => {
    instance.clock = clock
  })
  return clock
}

/** Rows of the KeyManager's table as stored, read under the object (no maintenance runs). */
export const storedRows = (stub: DurableObjectStub<KeyManager>) =>
  runInDurableObject(stub, (_instance: KeyManager, state) =>
    state.storage.sql
      .exec<{ kid: string; alg: string; active: number; created_at: number; retired_at: number | null }>(
        "SELECT kid, alg, active, created_at, retired_at FROM signing_keys ORDER BY created_at, kid"
      )
      .toArray())
