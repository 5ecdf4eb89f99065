/**
 * `KeysService` entrypoint (binding `KEYS`): the keys service's contract, served by
 * `serveAll` with `keysLayer`. Every method returns public data only; signing
 * happens here with the key cached in isolate memory, so private keys never
 * cross the contract.
 */
import { WorkerEntrypoint } from "cloudflare:workers"
import { checkHealth, HealthContract } from "@authrim/contracts"
import { keysHealthLayer } from "./keys_health.ts"
import { Effect, Layer } from "effect"
import { KeysContract, OAuthError, serveAll, type SigningAlg } from "@authrim/contracts"
import { meteredEnv } from "@authrim/cost-meter"
import { keysBindingMeters, type KeysEnv } from "./env.ts"
import { callKeyManager, keysLayer } from "./key_manager_client.ts"
import { atHash, signCompactJws } from "./sign_jws.ts"
import { cachedSigningKey, forgetSigningKeys } from "./signing_key_cache.ts"
import { auditAdminRotation } from "./admin_rotation_audit.ts"
import { auditTrailLayer } from "@authrim/audit-trail"

/** Rotation check (RPC `rotate` and the daily cron): rotates what is due, then drops this isolate's cached keys. */
export const rotateKeys = (force: boolean) =>
  callKeyManager("rotate", (km) => km.rotate(force)).pipe(Effect.tap(() => Effect.sync(forgetSigningKeys)))

/** The active key of `alg`, from isolate memory or the KeyManager. */
const signingKeyOf = (alg: SigningAlg) => cachedSigningKey(alg, callKeyManager("signingKey", (km) => km.signingKey(alg)))

export class KeysService extends serveAll(WorkerEntrypoint<KeysEnv>, {
  contracts: [KeysContract, HealthContract],
  layer: (env: KeysEnv) => Layer.mergeAll(keysLayer(env), keysHealthLayer(env), auditTrailLayer(env.AUDIT_QUEUE)),
  handlers: {
    /** Deep health (contracts/src/health.ts): probes of what this worker is bound to, see src/keys_health.ts. */
    health: checkHealth,
    getJwks: () => callKeyManager("jwks", (km) => km.jwks()),
    sign: Effect.fnUntraced(function*({ alg, typ, payload }) {
      const signingKey = yield* signingKeyOf(alg)
      const jwt = yield* signCompactJws(signingKey, payload, typ)
      return { jwt, kid: signingKey.kid }
    }),
    /** A token response's JWS in one call; `atHashOf` binds an ID token to an access token signed earlier in the batch. */
    signMany: Effect.fnUntraced(function*({ requests }) {
      const signed: Array<{ readonly jwt: string; readonly kid: string }> = []
      for (const request of requests) {
        const signingKey = yield* signingKeyOf(request.alg)
        const bound = request.atHashOf === undefined ? undefined : signed[request.atHashOf]
        if (request.atHashOf !== undefined && bound === undefined) {
          return yield* new OAuthError({ code: "invalid_request", description: "atHashOf must name an earlier request of the batch" })
        }
        const payload = bound === undefined ? request.payload : { ...request.payload, at_hash: yield* atHash(bound.jwt) }
        signed.push({ jwt: yield* signCompactJws(signingKey, payload, request.typ), kid: signingKey.kid })
      }
      return { signed }
    }),
    listKeys: () => callKeyManager("listKeys", (km) => km.listKeys()).pipe(Effect.map((keys) => ({ keys }))),
    rotate: ({ force, actorId }) => rotateKeys(force).pipe(
      Effect.tap((keys) => actorId === undefined ? Effect.void : auditAdminRotation(actorId, force, keys)),
      Effect.map((keys) => ({ keys }))
    )
  }
}) {
  constructor(ctx: ExecutionContext, env: KeysEnv) {
    // With the cost meter on, it counts this worker's binding calls; off, `env` is passed as it is (packages/cost-meter).
    super(ctx, meteredEnv(env, keysBindingMeters))
  }
}
