/**
 * How the keys worker reaches its KeyManager singleton: every stub call is an
 * Effect whose failure (network, reset, storage fault inside the object)
 * becomes `Unavailable` — the edge answers `temporarily_unavailable`.
 */
import { Effect } from "effect"
import { Unavailable } from "@authrim/contracts"
import { keyManagerName, type KeysEnv } from "./env.ts"
import type { KeyManager } from "./key_manager.ts"

/** Calls the singleton KeyManager; `operation` names the call in the error. */
export const callKeyManager = <A>(
  env: KeysEnv,
  operation: string,
  call: (keyManager: DurableObjectStub<KeyManager>) => Promise<A>
): Effect.Effect<A, Unavailable> =>
  Effect.tryPromise({
    try: () => call(env.KEY_MANAGER.get(env.KEY_MANAGER.idFromName(keyManagerName))),
    catch: (cause) =>
      new Unavailable({ service: "keys", reason: `KeyManager.${operation}: ${cause instanceof Error ? cause.message : String(cause)}` })
  })
