/**
 * Everything the identity service's handlers need, as one Layer from the
 * worker's env — built once per isolate and env by `serveAll`
 * (identity_service.ts). The settings some methods need (MFA key, WebAuthn
 * relying party, email transport) are `Configured` outcomes, so a missing one
 * fails only those methods (configured_setting.ts), never the whole service.
 */
import { auditTrailLayer } from "@authrim/audit-trail"
import { authrimEnvOf, SystemSettingsCache } from "@authrim/contracts"
import { Layer } from "effect"
import { avatarBucketLayer } from "./avatars/avatar_bucket.ts"
import { ClientMemoryCache } from "./clients/client_memory_cache.ts"
import { registrationKvLayer } from "./clients/registration_bindings.ts"
import { emailSenderLayer } from "./email/email_transport.ts"
import type { ServiceEnv } from "./env.ts"
import { IdentityBindings } from "./identity_bindings.ts"
import { mfaKeyLayer } from "./mfa/mfa_key.ts"
import { relyingPartyLayer } from "./passkeys/passkey_relying_party.ts"
import { upstreamBindingsLayer } from "./upstream/upstream_layer.ts"
import { ScopeMappingCache } from "./users/scope_mapping_cache.ts"

/** Per-isolate caches: they outlive a single request on purpose (that is what makes them save KV/D1 reads). */
const clientMemory = new ClientMemoryCache()
const scopeMappings = new ScopeMappingCache()
const settingsCache = new SystemSettingsCache()

/** `IdentityBindings` of `env` with this isolate's caches. */
export const identityBindingsLayer = (env: ServiceEnv): Layer.Layer<IdentityBindings> =>
  Layer.succeed(IdentityBindings)({
    db: env.DB,
    clientsKv: env.CLIENTS,
    challenges: env.CHALLENGES,
    assertionJtis: env.ASSERTION_JTIS,
    clientMemory,
    scopeMappings,
    settingsKv: env.SETTINGS,
    settingsCache,
    environment: authrimEnvOf(env)
  })

/** The identity service's Layer; its audit events (src/identity_audit.ts) go to `AUDIT_QUEUE`, which it also consumes. */
export const identityLayer = (env: ServiceEnv) =>
  Layer.mergeAll(
    identityBindingsLayer(env),
    registrationKvLayer(env),
    upstreamBindingsLayer(env),
    relyingPartyLayer(env),
    mfaKeyLayer(env),
    emailSenderLayer(env),
    auditTrailLayer(env.AUDIT_QUEUE),
    avatarBucketLayer(env)
  )
