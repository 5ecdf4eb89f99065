/**
 * What every route needs besides its request: the backends' clients and the
 * edge's settings, as one service (`Edge`) built once per isolate and `env` by
 * {@link edgeLayer} (index.ts keeps one runtime per env object). Route handlers
 * are Effects that need `Edge`; nothing here is rebuilt per request.
 */
import { Context, Layer } from "effect"
import { backendsFor, type Backends } from "./backends.ts"
import { adminBackendsFor, type AdminBackends } from "./admin_backends.ts"
import type { ServiceEnv } from "./env.ts"
import { parSettingsFor, type ParSettings } from "./par/par_settings.ts"
import { dpopSettingsFor, type DpopSettings } from "./dpop/dpop_settings.ts"
import { stepUpSettingsFor, type StepUpSettings } from "./account/step_up_settings.ts"
import { registrationSettingsFor, type RegistrationSettings } from "./registration/registration_policy.ts"
import { edgeSettingsCopyFor, type EdgeSettingsCopy } from "./authorize/sign_in_settings.ts"
import { edgeBrandingCopyFor, type EdgeBrandingCopy } from "./pages/page_branding.ts"
import { requestUriSettingsFor, type RequestUriSettings } from "./request_uri/request_uri_settings.ts"
import { sectorIdentifierSettingsFor, type SectorIdentifierSettings } from "./pairwise/sector_identifier_settings.ts"

/** The edge's per-isolate dependencies. */
export class Edge extends Context.Service<Edge, {
  /** Typed clients of the five backends, each made on first use (backends.ts). */
  readonly backends: Backends
  /** The admin API's clients (`*Admin` entrypoints, admin_backends.ts): read only by src/admin. */
  readonly adminBackends: AdminBackends
  /** PAR configuration (RFC 9126); see par/par_settings.ts. */
  readonly par: ParSettings
  /** DPoP nonce policy (RFC 9449 §8); see dpop/dpop_settings.ts. */
  readonly dpop: DpopSettings
  /** Request objects by reference (JAR §5.2); see request_uri/request_uri_settings.ts. */
  readonly requestUri: RequestUriSettings
  /** Sector identifier documents of pairwise clients (OIDC Registration §5); see pairwise/sector_identifier_settings.ts. */
  readonly sectorIdentifier: SectorIdentifierSettings
  /** Step-up for account security changes; see account/step_up_settings.ts. */
  readonly stepUp: StepUpSettings
  /** Dynamic client registration (open registration off by default); see registration/registration_policy.ts. */
  readonly registration: RegistrationSettings
  /** This isolate's copy of the system settings (what the pages show); see authorize/sign_in_settings.ts. */
  readonly settingsCopy: EdgeSettingsCopy
  /** This isolate's copy of the branding document (every hosted page); see pages/page_branding.ts. */
  readonly brandingCopy: EdgeBrandingCopy
  /** `DEVICE_COOKIE_SECRET`: HMAC key of the remembered-device cookie (http/device_cookie.ts); unset → password sign-in answers a configuration error. */
  readonly deviceCookieSecret: string | undefined
  /** `TRANSACTION_SEAL_SECRET`: key of the sealed sign-in transactions (authorize/transaction_seal.ts); unset → a sign-in answers a configuration error. */
  readonly transactionSealSecret: string | undefined
  /** `HEALTH_TOKEN`: bearer token of `GET /health?deep=1` (routes/health_endpoint.ts); unset → the deep check answers 404. */
  readonly healthToken: string | undefined
}>()("authrim-edge/Edge") {}

/**
 * The edge's Layer from its env, built on the first request of the isolate. The
 * backends' clients stay lazy: a request that needs none (discovery) touches no
 * binding, and a faulty binding fails the request that uses it (a defect).
 */
export const edgeLayer = (env: ServiceEnv): Layer.Layer<Edge> =>
  Layer.sync(Edge, () => ({
    backends: backendsFor(env),
    adminBackends: adminBackendsFor(env),
    par: parSettingsFor(env),
    dpop: dpopSettingsFor(env),
    requestUri: requestUriSettingsFor(env),
    sectorIdentifier: sectorIdentifierSettingsFor(env),
    stepUp: stepUpSettingsFor(env),
    registration: registrationSettingsFor(env),
    settingsCopy: edgeSettingsCopyFor(env),
    brandingCopy: edgeBrandingCopyFor(env),
    deviceCookieSecret: env.DEVICE_COOKIE_SECRET,
    transactionSealSecret: env.TRANSACTION_SEAL_SECRET,
    healthToken: env.HEALTH_TOKEN
  }))
