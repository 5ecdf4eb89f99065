/**
 * The keys worker's entrypoints, one per caller role (issue 13 §2, least
 * privilege), all served by `serveAll` with ONE layer function
 * (`keysWorkerLayer`), so they share one runtime per isolate and env:
 *
 * - `KeysForEdge` (edge binding `KEYS`): the JWKS and the deep health check.
 * - `KeysAdmin` (edge binding `KEYS_ADMIN`, used by the admin API and the
 *   console only): key metadata and "rotate now".
 * - `KeysForTokens` (tokens binding `KEYS`): typed signing (`signTokens`,
 *   sign_tokens.ts) and the JWKS.
 *
 * Every method returns public data only; signing happens here with the key
 * cached in isolate memory, so private keys never cross a contract.
 */
import { WorkerEntrypoint } from "cloudflare:workers"
import { checkHealth, HealthContract, KeysAdminContract, KeysPublicContract, KeysSigningContract, serveAll } from "@authrim/contracts"
import { auditTrailLayer } from "@authrim/audit-trail"
import { meteredEnv } from "@authrim/cost-meter"
import { Effect, Layer } from "effect"
import { auditAdminRotation } from "./admin_rotation_audit.ts"
import { keysBindingMeters, type KeysEnv } from "./env.ts"
import { callKeyManager, keysLayer } from "./key_manager_client.ts"
import { keysHealthLayer } from "./keys_health.ts"
import { rotateKeys } from "./rotate_keys.ts"
import { signTokens } from "./sign_tokens.ts"
import { tokenIssuerLayer } from "./token_issuer.ts"

/** Everything any entrypoint's handlers need; the one layer function every entrypoint passes (shared runtime). */
const keysWorkerLayer = (env: KeysEnv) =>
  Layer.mergeAll(keysLayer(env), keysHealthLayer(env), auditTrailLayer(env.AUDIT_QUEUE), tokenIssuerLayer(env))

const getJwks = () => callKeyManager("jwks", (km) => km.jwks())

/** Every keys entrypoint: with the cost meter on, it counts this worker's binding calls; off, `env` is passed as it is (packages/cost-meter). */
export class MeteredKeysEntrypoint extends WorkerEntrypoint<KeysEnv> {
  constructor(ctx: ExecutionContext, env: KeysEnv) {
    super(ctx, meteredEnv(env, keysBindingMeters))
  }
}

/** Edge binding `KEYS`: the JWKS (`/jwks`, access-token checks) and deep health. */
export class KeysForEdge extends serveAll(MeteredKeysEntrypoint, {
  name: "keys",
  contracts: [KeysPublicContract, HealthContract],
  layer: keysWorkerLayer,
  handlers: {
    /** Deep health (contracts/src/health.ts): probes of what this worker is bound to, see src/keys_health.ts. */
    health: checkHealth,
    getJwks
  }
}) {}

/** Edge binding `KEYS_ADMIN` (admin API and console only): key metadata and rotation. */
export class KeysAdmin extends serveAll(MeteredKeysEntrypoint, {
  name: "keys",
  contracts: [KeysAdminContract],
  layer: keysWorkerLayer,
  handlers: {
    listKeys: () => callKeyManager("listKeys", (km) => km.listKeys()).pipe(Effect.map((keys) => ({ keys }))),
    rotate: ({ force, actorId }) => rotateKeys(force).pipe(
      Effect.tap((keys) => actorId === undefined ? Effect.void : auditAdminRotation(actorId, force, keys)),
      Effect.map((keys) => ({ keys }))
    )
  }
}) {}

/** Tokens binding `KEYS`: typed signing of the tokens it issues, and the JWKS it verifies with. */
export class KeysForTokens extends serveAll(MeteredKeysEntrypoint, {
  name: "keys",
  contracts: [KeysSigningContract, KeysPublicContract],
  layer: keysWorkerLayer,
  handlers: { signTokens, getJwks }
}) {}
