/**
 * The `MFA_ENCRYPTION_KEY` of this worker as a {@link Configured} setting (the
 * key material of the TOTP secret cipher, totp_secret_cipher.ts).
 * `MFA_ENCRYPTION_KEY` is required in every deployment (production: `wrangler
 * secret put MFA_ENCRYPTION_KEY`, ≥ 32 random bytes, e.g. `openssl rand
 * -base64 32`; development: `npm start` generates one per state folder, the
 * test configs set a fixed one). There is no key in the source: unset, every
 * TOTP program fails with `Misconfigured` before it reads or writes a secret.
 */
import { requiredSetting } from "@authrim/contracts"
import { Context } from "effect"
import { configuredLayer, type Configured } from "../configured_setting.ts"
import { serviceName } from "../identity_bindings.ts"

/** The key material for TOTP secrets, or the `Misconfigured` naming `MFA_ENCRYPTION_KEY`. */
export class MfaKey extends Context.Service<MfaKey, Configured<string>>()("@authrim/identity/MfaKey") {}

/** The key material; `Misconfigured` when `MFA_ENCRYPTION_KEY` is unset. */
export const mfaKeyMaterial = MfaKey.use((material) => material)

/** `MfaKey` from the worker's env. */
export const mfaKeyLayer = (env: { readonly MFA_ENCRYPTION_KEY?: string | undefined }) =>
  configuredLayer(MfaKey, requiredSetting(serviceName, "MFA_ENCRYPTION_KEY", env.MFA_ENCRYPTION_KEY))
