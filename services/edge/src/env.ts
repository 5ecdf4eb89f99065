/**
 * Bindings of the public edge worker. It holds no storage: every binding is a
 * service binding typed from `contracts/` (never from a backend's source), plus
 * the optional `ISSUER` var.
 */
import type { IdentityRpc, KeysRpc, RateLimitRpc, SessionRpc, TokensRpc } from "@authrim/contracts"
import type { SessionLogoutRpc, TokensLogoutRpc } from "@authrim/contracts"
import type { PasskeysRpc } from "@authrim/contracts"
import type { UpstreamRpc } from "@authrim/contracts"
import type { MfaRpc } from "@authrim/contracts"
import type { EmailLoginRpc } from "@authrim/contracts"
import type { ParRpc } from "@authrim/contracts"
import type { DeviceRpc } from "@authrim/contracts"
import type { ClientAuthRpc } from "@authrim/contracts"
import type { DpopRpc } from "@authrim/contracts"
import type { RefreshFamiliesRpc } from "@authrim/contracts"
import type { BindingMeterSpec } from "@authrim/cost-meter"
import type { AccountSecurityRpc, SessionReauthRpc } from "@authrim/contracts"
import type { MetricsDataset } from "@authrim/contracts"

export interface ServiceEnv {
  KEYS: KeysRpc
  SESSION: SessionRpc & SessionLogoutRpc & SessionReauthRpc
  TOKENS: TokensRpc & TokensLogoutRpc & ParRpc & DeviceRpc & DpopRpc & RefreshFamiliesRpc
  RATELIMIT: RateLimitRpc
  IDENTITY: IdentityRpc & PasskeysRpc & UpstreamRpc & MfaRpc & EmailLoginRpc & ClientAuthRpc & AccountSecurityRpc
  /** `development` | `production` (unset or anything else: production); see contracts/src/deployment.ts. */
  AUTHRIM_ENV?: string
  /** The issuer URL (e.g. `https://id.example.com`). Required in production; unset in development: the request's origin. */
  ISSUER?: string
  /** JSON overrides of the rate-limit policies, e.g. `{"token":{"limit":600,"windowSeconds":60}}`; see http/rate_limit_policies.ts. */
  RATE_LIMIT_POLICIES?: string
  /** "true": every client must use PAR (RFC 9126 §5); see par/par_settings.ts. */
  REQUIRE_PAR?: string
  /** Lifetime of a PAR request_uri in seconds (default 90, at most 600); see par/par_settings.ts. */
  PAR_REQUEST_TTL_SECONDS?: string
  /** `*` or comma-separated client ids whose DPoP proofs must carry a server nonce (RFC 9449 §8); see dpop/dpop_settings.ts. */
  DPOP_NONCE_REQUIRED_FOR?: string
  /** "true": the cost meter is on and every response carries `x-authrim-cost`, the billable operations it caused (benchmarks, local runs; never in production); see http/cost_header.ts. */
  COST_METER_HEADER?: string
  /**
   * HMAC-SHA-256 key of the remembered-device cookie (http/device_cookie.ts), ≥ 32 characters
   * (`wrangler secret put DEVICE_COOKIE_SECRET`). Required: no default in the source; unset →
   * password sign-in answers a configuration error (503). Tests and scripts/local_stack.ts set one.
   */
  DEVICE_COOKIE_SECRET?: string
  /**
   * AES-GCM key material of the sealed sign-in transactions (authorize/transaction_seal.ts), ≥ 32
   * characters (`wrangler secret put TRANSACTION_SEAL_SECRET`). Required: no default in the source;
   * unset → every sign-in answers a configuration error (503 naming it). Development values come from
   * scripts/development_settings.ts.
   */
  TRANSACTION_SEAL_SECRET?: string
  /** "true": the benchmark-only routes answer (`POST /dev/rate-limit-check`) in development; unset, or in production: a plain 404. See routes/dev_rate_limit_check.ts. */
  BENCH_ROUTES?: string
  /** Seconds a sign-in counts as recent for account security changes (step-up); default 300. See account/step_up_settings.ts. */
  STEP_UP_MAX_AGE_SECONDS?: string
  /** Analytics Engine dataset `authrim_edge_requests`: one data point per request (http/request_metrics.ts); unbound, none. */
  METRICS?: MetricsDataset
}

/** The edge's bindings are all service bindings: the cost meter, while on, counts each call (packages/cost-meter/src/metered_bindings.ts). */
export const edgeBindingMeters: BindingMeterSpec = { KEYS: "service", SESSION: "service", TOKENS: "service", RATELIMIT: "service", IDENTITY: "service" }
