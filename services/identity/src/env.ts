/** Bindings of the identity worker (see wrangler.jsonc and storage-schema.md). */
import type { AuditBatch } from "@authrim/contracts"
import type { BindingMeterSpec } from "@authrim/cost-meter"
import type { ChallengeStore } from "./challenges/challenge_store.ts"
import type { AssertionJtiStore } from "./clients/assertion_jti_store.ts"
import type { MetricsDataset } from "@authrim/contracts"

export interface ServiceEnv {
  /** Shared D1 database: users, oauth_clients, oauth_client_consents, scope_mappings, … */
  DB: D1Database
  /** Read-through cache of client metadata (`client:<id>`), invalidated on every change. */
  CLIENTS: KVNamespace
  /** System settings document (`system_settings`), owned by this service — see src/settings/system_settings.ts. */
  SETTINGS: KVNamespace
  /** ChallengeStore shards (`challenge-shard-<n>`, n < 64). */
  CHALLENGES: DurableObjectNamespace<ChallengeStore>
  /** AssertionJtiStore shards (`assertion-jti-<n>`, n < 32): used private_key_jwt assertion jtis — see src/clients/client_assertion.ts. */
  ASSERTION_JTIS: DurableObjectNamespace<AssertionJtiStore>
  /** Upstream sign-in state (`upstream-state:<sha256 hex>`, 600 s) — see src/upstream/upstream_round_trip.ts. */
  STATE_STORE: KVNamespace
  /** Upstream sign-in nonces (`upstream-nonce:<sha256 hex>`, 600 s). */
  NONCE_STORE: KVNamespace
  /** Dynamic-registration initial access tokens (`iat:<sha256 hex>` → info, expiring with the token, ≤ 7 days) — see src/clients/initial_access_token_store.ts. */
  INITIAL_ACCESS_TOKENS: KVNamespace
  /** `development` | `production` (unset or anything else: production); see contracts/src/deployment.ts. */
  AUTHRIM_ENV?: string
  /** Key material for TOTP secrets at rest (AES-256-GCM via HKDF) — a secret, required (no default); see src/mfa/totp_secret_cipher.ts. */
  MFA_ENCRYPTION_KEY?: string
  /** WebAuthn relying-party id, required (locally `localhost`) — see src/passkeys/passkey_relying_party.ts. */
  WEBAUTHN_RP_ID?: string
  /** Name authenticators show for this provider, required. */
  WEBAUTHN_RP_NAME?: string
  /** Comma-separated origins passkey ceremonies may come from, required (locally `http://localhost:8787,http://127.0.0.1:8787`). */
  WEBAUTHN_ORIGINS?: string
  /** Email transport, required: `send_email` | `http` | `outbox` (D1 `email_outbox`, development only) — see src/email/email_transport.ts. */
  EMAIL_TRANSPORT?: string
  /** Sender address of every email, required by `send_email` and `http`. */
  EMAIL_FROM?: string
  /** Cloudflare `send_email` binding, used when `EMAIL_TRANSPORT=send_email`. */
  SEND_EMAIL?: SendEmail
  /** JSON email API endpoint and its bearer key (a secret), used when `EMAIL_TRANSPORT=http`. */
  EMAIL_HTTP_URL?: string
  EMAIL_HTTP_API_KEY?: string
  /** Audit events of this worker (producer) and of every service (this worker consumes them) — see src/audit/. */
  AUDIT_QUEUE?: Queue<AuditBatch>
  /** Avatar images (`avatars/<64 hex>.<ext>`, ≤ 5 MiB, JPEG/PNG/GIF/WebP by content) — see src/avatars/. */
  AVATARS?: R2Bucket
  /** Audit rows older than 90 days, as gzip NDJSON per day (`audit/YYYY/MM/DD/<first>-<last>.ndjson.gz`). */
  AUDIT_ARCHIVE?: R2Bucket
  /** "true": the cost meter is on in this worker (benchmarks, local runs; never in production) — see packages/cost-meter/src/metered_env.ts. */
  COST_METER_HEADER?: string
  /** Analytics Engine dataset `authrim_service_calls`: one data point per RPC call, written by serveAll; unbound, none. */
  METRICS?: MetricsDataset
}

/** How the cost meter counts this worker's bindings while it is on (packages/cost-meter/src/metered_bindings.ts). */
export const identityBindingMeters: BindingMeterSpec = {
  DB: "d1",
  CLIENTS: "kv",
  SETTINGS: "kv",
  STATE_STORE: "kv",
  NONCE_STORE: "kv",
  INITIAL_ACCESS_TOKENS: "kv",
  CHALLENGES: { durableObject: "ChallengeStore" },
  ASSERTION_JTIS: { durableObject: "AssertionJtiStore" },
  AUDIT_QUEUE: "queue",
  AVATARS: "r2"
}
