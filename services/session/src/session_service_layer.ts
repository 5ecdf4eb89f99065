/**
 * The one Layer function of every authrim-session entrypoint: the shards and
 * settings (session_shards.ts), the deep-health probes and the live-session
 * count. A named const so `serveAll` gives the entrypoints that pass it one
 * runtime per isolate and env (contracts/src/serve_all.ts).
 */
import { Layer } from "effect"
import { sessionCountLayer } from "./active_session_count.ts"
import type { SessionEnv } from "./env.ts"
import { sessionHealthLayer } from "./session_health.ts"
import { sessionLayer } from "./session_shards.ts"

/** `sessionLayer` + `sessionHealthLayer` + `sessionCountLayer` of one env. */
export const sessionServiceLayer = (env: SessionEnv) => Layer.mergeAll(sessionLayer(env), sessionHealthLayer(env), sessionCountLayer(env))
