/**
 * The one Layer function of every authrim-identity entrypoint: the handlers'
 * services (identity_layer.ts) and the deep-health probes. A named const so
 * `serveAll` gives the entrypoints that pass it one runtime per isolate and
 * env (contracts/src/serve_all.ts).
 */
import { Layer } from "effect"
import type { ServiceEnv } from "./env.ts"
import { identityHealthLayer } from "./identity_health.ts"
import { identityLayer } from "./identity_layer.ts"

/** `identityLayer` + `identityHealthLayer` of one env. */
export const identityServiceLayer = (env: ServiceEnv) => Layer.merge(identityLayer(env), identityHealthLayer(env))
