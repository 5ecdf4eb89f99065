/**
 * `KeysService` entrypoint (binding `KEYS`): the keys service's contract.
 * Every method returns public data only; signing happens here with the key
 * cached in isolate memory, so private keys never cross the contract.
 */
import { WorkerEntrypoint } from "cloudflare:workers"
import { Effect } from "effect"
import { KeysContract, OAuthError, serve, type RpcInterface, type SigningAlg } from "@authrim/contracts"
import type { KeysEnv } from "./env.ts"
import { callKeyManager } from "./key_manager_client.ts"
import { atHash, signCompactJws } from "./sign_jws.ts"
import { cachedSigningKey, forgetSigningKeys } from "./signing_key_cache.ts"
import { meterBindings } from "@authrim/contracts"
import { keysBindingMeters } from "./env.ts"

type Input<K extends keyof typeof KeysContract> = (typeof KeysContract)[K]["input"]["Encoded"]

export class KeysService extends WorkerEntrypoint<KeysEnv> implements RpcInterface<typeof KeysContract> {
  constructor(ctx: ExecutionContext, env: KeysEnv) {
    // The cost meter counts this worker's binding calls (contracts/src/metered_bindings.ts).
    super(ctx, meterBindings(env, keysBindingMeters))
  }

  getJwks(input: Input<"getJwks">) {
    return serve(KeysContract.getJwks, input, () => callKeyManager(this.env, "jwks", (km) => km.jwks()))
  }

  sign(input: Input<"sign">) {
    return serve(KeysContract.sign, input, ({ alg, typ, payload }) =>
      Effect.gen({ self: this }, function*() {
        const signingKey = yield* cachedSigningKey(alg, this.#loadSigningKey(alg))
        const jwt = yield* signCompactJws(signingKey, payload, typ)
        return { jwt, kid: signingKey.kid }
      }))
  }

  signMany(input: Input<"signMany">) {
    return serve(KeysContract.signMany, input, ({ requests }) =>
      Effect.gen({ self: this }, function*() {
        const signed: Array<{ readonly jwt: string; readonly kid: string }> = []
        for (const request of requests) {
          const signingKey = yield* cachedSigningKey(request.alg, this.#loadSigningKey(request.alg))
          const bound = request.atHashOf === undefined ? undefined : signed[request.atHashOf]
          if (request.atHashOf !== undefined && bound === undefined) {
            return yield* new OAuthError({ code: "invalid_request", description: "atHashOf must name an earlier request of the batch" })
          }
          const payload = bound === undefined ? request.payload : { ...request.payload, at_hash: yield* atHash(bound.jwt) }
          signed.push({ jwt: yield* signCompactJws(signingKey, payload, request.typ), kid: signingKey.kid })
        }
        return { signed }
      }))
  }

  listKeys(input: Input<"listKeys">) {
    return serve(KeysContract.listKeys, input, () =>
      callKeyManager(this.env, "listKeys", (km) => km.listKeys()).pipe(Effect.map((keys) => ({ keys }))))
  }

  rotate(input: Input<"rotate">) {
    return serve(KeysContract.rotate, input, ({ force }) => rotateKeys(this.env, force).pipe(Effect.map((keys) => ({ keys }))))
  }

  #loadSigningKey(alg: SigningAlg) {
    return callKeyManager(this.env, "signingKey", (km) => km.signingKey(alg))
  }
}

/** Rotation check (RPC `rotate` and the daily cron): rotates what is due, then drops this isolate's cached keys. */
export const rotateKeys = (env: KeysEnv, force: boolean) =>
  callKeyManager(env, "rotate", (km) => km.rotate(force)).pipe(Effect.tap(() => Effect.sync(forgetSigningKeys)))
