/**
 * authrim-keys: signing keys, rotation and JWKS. Internal only — callers bind
 * the entrypoint of their role (keys_entrypoints.ts: `KeysForEdge`,
 * `KeysAdmin`, `KeysForTokens`) over a service binding; HTTP gets a 404.
 */
import { runtimePerEnv } from "@authrim/contracts"
import type { KeysEnv } from "./env.ts"
import { keysLayer } from "./key_manager_client.ts"
import { rotateKeys } from "./rotate_keys.ts"

export { KeyManager } from "./key_manager.ts"
export { KeysAdmin, KeysForEdge, KeysForTokens } from "./keys_entrypoints.ts"

/** The cron's dependencies, built once per isolate and env. */
const cronRuntimeOf = runtimePerEnv(keysLayer)

export default {
  /** Not a public worker: the JWKS is served by the edge, which calls `getJwks`. */
  fetch: () => new Response("Not Found", { status: 404 }),
  /** Daily rotation check (cron "0 3 * * *"); a failure rejects so the cron run shows as failed. */
  scheduled: (_controller, env, ctx) => {
    ctx.waitUntil(cronRuntimeOf(env).runPromise(rotateKeys(false)))
  }
} satisfies ExportedHandler<KeysEnv>
