/**
 * How the keys worker reaches its KeyManager singleton: the `KeyManagerClient`
 * service (built once per isolate by `keysLayer`), whose every stub call is an
 * Effect; a failure (network, reset, storage fault inside the object) becomes
 * `Unavailable` — the edge answers `temporarily_unavailable`.
 */
import { Context, Effect, Layer } from "effect"
import { countCall, Unavailable } from "@authrim/contracts"
import { keyManagerName, type KeysEnv } from "./env.ts"
import type { KeyManager } from "./key_manager.ts"

export class KeyManagerClient extends Context.Service<KeyManagerClient, {
  /** Calls the singleton KeyManager; `operation` names the call in the error. */
  call<A>(operation: string, call: (keyManager: DurableObjectStub<KeyManager>) => Promise<A>): Effect.Effect<A, Unavailable>
}>()("authrim-keys/KeyManagerClient") {}

/** Everything the keys service's handlers need, from its env. */
export const keysLayer = (env: KeysEnv): Layer.Layer<KeyManagerClient> =>
  Layer.succeed(KeyManagerClient)({
    call: (operation, call) =>
      countCall("durableObjectCalls").pipe(Effect.andThen(Effect.tryPromise({
        try: () => call(env.KEY_MANAGER.get(env.KEY_MANAGER.idFromName(keyManagerName))),
        catch: (cause) =>
          new Unavailable({ service: "keys", reason: `KeyManager.${operation}: ${cause instanceof Error ? cause.message : String(cause)}` })
      })))
  })

/** `KeyManagerClient.call` as an Effect needing the client. */
export const callKeyManager = <A>(operation: string, call: (keyManager: DurableObjectStub<KeyManager>) => Promise<A>) =>
  KeyManagerClient.use((client) => client.call(operation, call))
