/**
 * The one Layer function of every authrim-tokens entrypoint: the handlers'
 * services (tokens_layer.ts) and the deep-health probes. A named const so
 * `serveAll` gives the entrypoints that pass it one runtime per isolate and
 * env (contracts/src/serve_all.ts).
 */
import { Layer } from "effect"
import type { ServiceEnv } from "./env.ts"
import { tokensHealthLayer } from "./tokens_health.ts"
import { tokensLayer } from "./tokens_layer.ts"

/** `tokensLayer` + `tokensHealthLayer` of one env. */
export const tokensServiceLayer = (env: ServiceEnv) => Layer.merge(tokensLayer(env), tokensHealthLayer(env))
