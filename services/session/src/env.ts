/** Bindings and configuration of the session worker (see wrangler.jsonc). */
import type { BindingMeterSpec } from "@authrim/cost-meter"
import type { AuditBatch } from "@authrim/contracts"
import type { SessionStore } from "./session_store.ts"
import type { MetricsDataset } from "@authrim/contracts"

/** The session worker's environment. */
export interface SessionEnv {
  /** Shared D1 database (`sessions` table is this service's cold copy). */
  DB: D1Database
  /** The SessionStore shards (`idFromName("session-shard-N")`). */
  SESSION_STORE: DurableObjectNamespace<SessionStore>
  /** KV `SETTINGS` (read only): the system settings document, for the default session lifetime. Unbound: the defaults. */
  SETTINGS?: KVNamespace
  /** `development` | `production` (unset: production): picks the settings defaults. */
  AUTHRIM_ENV?: string
  /** Hot-set bound per shard (sessions kept in memory); default 10000. */
  SESSION_HOT_LIMIT?: string
  /** The audit trail (producer only; identity consumes authrim-audit into D1 audit_log). Unbound: events are logged only. */
  AUDIT_QUEUE?: Queue<AuditBatch>
  /** "true": the cost meter is on in this worker (benchmarks, local runs; never in production) — see packages/cost-meter/src/metered_env.ts. */
  COST_METER_HEADER?: string
  /** Analytics Engine dataset `authrim_service_calls`: one data point per RPC call, written by serveAll; unbound, none. */
  METRICS?: MetricsDataset
}

/** How the cost meter counts this worker's bindings while it is on (packages/cost-meter/src/metered_bindings.ts). */
export const sessionBindingMeters: BindingMeterSpec = { DB: "d1", SETTINGS: "kv", SESSION_STORE: { durableObject: "SessionStore" }, AUDIT_QUEUE: "queue" }
