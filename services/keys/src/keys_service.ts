/**
 * `KeysService` entrypoint (binding `KEYS`): the keys service's contract, served by
 * `serveAll` with `keysLayer`. Every method returns public data only; signing
 * happens here with the key cached in isolate memory, so private keys never
 * cross the contract.
 */
import { WorkerEntrypoint } from "cloudflare:workers"
import { Effect } from "effect"
import { KeysContract, serveAll } from "@authrim/contracts"
import { meteredEnv } from "@authrim/cost-meter"
import { keysBindingMeters, type KeysEnv } from "./env.ts"
import { callKeyManager, keysLayer } from "./key_manager_client.ts"
import { signCompactJws } from "./sign_jws.ts"
import { cachedSigningKey, forgetSigningKeys } from "./signing_key_cache.ts"

/** Rotation check (RPC `rotate` and the daily cron): rotates what is due, then drops this isolate's cached keys. */
export const rotateKeys = (force: boolean) =>
  callKeyManager("rotate", (km) => km.rotate(force)).pipe(Effect.tap(() => Effect.sync(forgetSigningKeys)))

export class KeysService extends serveAll(WorkerEntrypoint<KeysEnv>, {
  contracts: [KeysContract],
  layer: (env: KeysEnv) => keysLayer(env),
  handlers: {
    getJwks: () => callKeyManager("jwks", (km) => km.jwks()),
    sign: Effect.fnUntraced(function*({ alg, typ, payload }) {
      const signingKey = yield* cachedSigningKey(alg, callKeyManager("signingKey", (km) => km.signingKey(alg)))
      const jwt = yield* signCompactJws(signingKey, payload, typ)
      return { jwt, kid: signingKey.kid }
    }),
    listKeys: () => callKeyManager("listKeys", (km) => km.listKeys()).pipe(Effect.map((keys) => ({ keys }))),
    rotate: ({ force }) => rotateKeys(force).pipe(Effect.map((keys) => ({ keys })))
  }
}) {
  constructor(ctx: ExecutionContext, env: KeysEnv) {
    // With the cost meter on, it counts this worker's binding calls; off, `env` is passed as it is (packages/cost-meter).
    super(ctx, meteredEnv(env, keysBindingMeters))
  }
}
