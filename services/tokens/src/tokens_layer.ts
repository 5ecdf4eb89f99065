/**
 * Everything the tokens entrypoints' handlers need, from the worker's env: one
 * Layer, built once per isolate and env by `serveAll`. Nothing in it can fail
 * at build time: a missing setting fails only the calls that need it
 * (`AUTHORIZATION_CODE_KEY` → `TokenStores.codeKey`, `DPOP_NONCE_SECRET` →
 * `DpopStores.nonceSecret`), so Bearer flows keep working without DPoP settings.
 */
import { auditTrailLayer, type AuditTrail } from "@authrim/audit-trail"
import { authrimEnvOf, systemSettingsLayer } from "@authrim/contracts"
import { Layer } from "effect"
import { DeviceCodeStores } from "./device/device_stores.ts"
import { DpopStores } from "./dpop/dpop_stores.ts"
import type { ServiceEnv } from "./env.ts"
import { BackchannelQueue } from "./logout/queue_backchannel_logout.ts"
import { PARStores } from "./par/pushed_requests.ts"
import { AuditRefreshEvents } from "./token_audit.ts"
import { TokenStores } from "./token_stores.ts"

/** The services the tokens entrypoints' handlers use. */
export type TokensServices = TokenStores | PARStores | DeviceCodeStores | DpopStores | BackchannelQueue | AuditTrail

/** The live Layer of a worker env. */
export const tokensLayer = (env: ServiceEnv): Layer.Layer<TokensServices> =>
  Layer.mergeAll(
    // Token lifetimes from KV SETTINGS through this isolate's copy (token_lifetimes.ts `configuredLifetimes`).
    systemSettingsLayer(env.SETTINGS, authrimEnvOf(env), "tokens"),
    Layer.succeed(TokenStores)(TokenStores.fromEnv(env)),
    Layer.succeed(PARStores)(PARStores.fromEnv(env)),
    Layer.succeed(DeviceCodeStores)(DeviceCodeStores.fromEnv(env)),
    Layer.succeed(DpopStores)(DpopStores.fromEnv(env)),
    Layer.succeed(BackchannelQueue)(env.BACKCHANNEL_LOGOUT_QUEUE),
    // Audit events (src/token_audit.ts) go to authrim-audit; identity's consumer writes them to D1 audit_log.
    auditTrailLayer(env.AUDIT_QUEUE),
    Layer.succeed(AuditRefreshEvents)(env.AUDIT_REFRESH_EVENTS === "all")
  )
