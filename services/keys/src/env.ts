/** Bindings of the keys worker (see wrangler.jsonc). */
import type { BindingMeterSpec } from "@authrim/cost-meter"
import type { AuditBatch } from "@authrim/contracts"
import type { KeyManager } from "./key_manager.ts"
import type { MetricsDataset } from "@authrim/contracts"

/** The keys worker's environment: the KeyManager namespace, the audit queue and the issuer. */
export interface KeysEnv {
  readonly KEY_MANAGER: DurableObjectNamespace<KeyManager>
  /** The audit trail: `key.rotated`, sent by the KeyManager (identity consumes authrim-audit into D1 audit_log). Unbound: logged only. */
  readonly AUDIT_QUEUE?: Queue<AuditBatch>
  /** "true": the cost meter is on in this worker (benchmarks, local runs; never in production) — see packages/cost-meter/src/metered_env.ts. */
  readonly COST_METER_HEADER?: string
  /** `development` | `production` (unset or anything else: production); see contracts/src/deployment.ts. */
  readonly AUTHRIM_ENV?: string
  /**
   * The issuer every signed token must name (`iss`): the edge's `ISSUER`, e.g. `https://id.example.com`.
   * Required in production (unset: `signTokens` answers `Misconfigured`); see src/token_issuer.ts.
   */
  readonly ISSUER?: string
  /** Analytics Engine dataset `authrim_service_calls`: one data point per RPC call, written by serveAll; unbound, none. */
  METRICS?: MetricsDataset
}

/**
 * KeyManager is a singleton (DESIGN §2: tiny, read-mostly, off the hot path
 * because the worker caches the signing key). Every caller addresses it by
 * this name so there is exactly one key set.
 */
export const keyManagerName = "global"

/** How the cost meter counts this worker's bindings while it is on (packages/cost-meter/src/metered_bindings.ts). */
export const keysBindingMeters: BindingMeterSpec = { KEY_MANAGER: { durableObject: "KeyManager" }, AUDIT_QUEUE: "queue" }
