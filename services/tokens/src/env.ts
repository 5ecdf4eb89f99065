/** Bindings of the tokens worker (see wrangler.jsonc and storage-schema.md). */
import type { BindingMeterSpec } from "@authrim/cost-meter"
import type { AuditBatch, KeysPublicRpc, KeysSigningRpc } from "@authrim/contracts"
import type { BackchannelMessage } from "./logout/backchannel_message.ts"
import type { AuthorizationCodeStore } from "./authorization_code_store.ts"
import type { RefreshTokenRotator } from "./refresh_token_rotator.ts"
import type { TokenRevocationStore } from "./token_revocation_store.ts"
import type { PARRequestStore } from "./par/par_request_store.ts"
import type { DeviceCodeStore } from "./device/device_code_store.ts"
import type { DPoPJTIStore } from "./dpop/dpop_jti_store.ts"
import type { RefreshFamilyIndex } from "./family_index/refresh_family_index.ts"
import type { MetricsDataset } from "@authrim/contracts"

export interface ServiceEnv {
  /** KV `SETTINGS` (read only): the system settings document, for token lifetimes. Unbound: the defaults. */
  SETTINGS?: KVNamespace
  /** AuthorizationCodeStore shards `ac00`…`ac31` (shard named inside the code). */
  AUTHORIZATION_CODES: DurableObjectNamespace<AuthorizationCodeStore>
  /** RefreshTokenRotator shards `rt:<clientId>:<0..7>`. */
  REFRESH_TOKENS: DurableObjectNamespace<RefreshTokenRotator>
  /** TokenRevocationStore shards `rv00`…`rv31` by jti. */
  TOKEN_REVOCATIONS: DurableObjectNamespace<TokenRevocationStore>
  /** PARRequestStore shards `par00`…`par31` (shard named inside the request_uri; RFC 9126). */
  PAR_REQUESTS: DurableObjectNamespace<PARRequestStore>
  /** DeviceCodeStore shards `dc00`…`dc31` by the user code's hash (RFC 8628; the device code names it too). */
  DEVICE_CODES: DurableObjectNamespace<DeviceCodeStore>
  /** DPoPJTIStore shards `dj00`…`dj31` by the proof key's thumbprint (RFC 9449 one-time jti). */
  DPOP_JTIS: DurableObjectNamespace<DPoPJTIStore>
  /** RefreshFamilyIndex shards `uf00`…`uf31` by the user id (user → refresh families; issue 9 §2). */
  REFRESH_FAMILY_INDEX: DurableObjectNamespace<RefreshFamilyIndex>
  /** `development` | `production` (unset or anything else: production); see contracts/src/deployment.ts. */
  AUTHRIM_ENV?: string
  /** HMAC secret of stateless DPoP server nonces (a secret; required in production, unset in development: random per isolate; see src/dpop/dpop_nonce.ts). */
  DPOP_NONCE_SECRET?: string
  /** AES-GCM secret sealing authorization codes (required; development stacks get one from scripts/development_settings.ts; see src/sealed_code.ts). */
  AUTHORIZATION_CODE_KEY?: string
  /** authrim-keys, entrypoint `KeysForTokens`: typed signing (`signTokens`) and the JWKS. */
  KEYS: KeysSigningRpc & KeysPublicRpc
  /** Back-channel logout deliveries (producer and consumer: this worker; see storage-schema.md). */
  BACKCHANNEL_LOGOUT_QUEUE: Queue<BackchannelMessage>
  /** The audit trail (producer only; identity consumes authrim-audit into D1 audit_log). Unbound: events are logged only. */
  AUDIT_QUEUE?: Queue<AuditBatch>
  /** `all`: audit every refresh-token rotation (`token.refreshed`); unset or anything else: only issuance, reuse and revocation (src/token_audit.ts). */
  AUDIT_REFRESH_EVENTS?: string
  /** Refresh reuse grace window in whole seconds (0..60, default 10; `0`: off), see src/refresh_grace.ts. */
  REFRESH_REUSE_GRACE_SECONDS?: string
  /** HMAC secret deriving the one successor of a refresh token (a secret; required in production while the grace window is on; see src/refresh_grace.ts). */
  REFRESH_SUCCESSOR_SECRET?: string
  /** HMAC secret of pairwise subject identifiers and the `authrim_user` seal (a secret; required in production for pairwise clients; see src/pairwise/pairwise_subject.ts). */
  PAIRWISE_SUBJECT_SECRET?: string
  /** First back-channel retry delay in seconds, doubled per attempt (default 5). */
  BACKCHANNEL_RETRY_BASE_SECONDS?: string
  /** "true": the cost meter is on in this worker (benchmarks, local runs; never in production) — see packages/cost-meter/src/metered_env.ts. */
  COST_METER_HEADER?: string
  /** Analytics Engine dataset `authrim_service_calls`: one data point per RPC call, written by serveAll; unbound, none. */
  METRICS?: MetricsDataset
}

/** How the cost meter counts this worker's bindings while it is on (packages/cost-meter/src/metered_bindings.ts). */
export const tokensBindingMeters: BindingMeterSpec = {
  SETTINGS: "kv",
  AUTHORIZATION_CODES: { durableObject: "AuthorizationCodeStore" },
  REFRESH_TOKENS: { durableObject: "RefreshTokenRotator" },
  TOKEN_REVOCATIONS: { durableObject: "TokenRevocationStore" },
  PAR_REQUESTS: { durableObject: "PARRequestStore" },
  DEVICE_CODES: { durableObject: "DeviceCodeStore" },
  DPOP_JTIS: { durableObject: "DPoPJTIStore" },
  REFRESH_FAMILY_INDEX: { durableObject: "RefreshFamilyIndex" },
  KEYS: "service",
  BACKCHANNEL_LOGOUT_QUEUE: "queue",
  AUDIT_QUEUE: "queue"
}
