/**
 * How recent a sign-in must be for an account security change (step-up;
 * OWASP ASVS 4 V3.7.1 "re-authentication before sensitive changes"), from the
 * edge var `STEP_UP_MAX_AGE_SECONDS`: unset, empty or not a positive number →
 * 300 s (5 minutes, issue 9 §3). The age is measured from the session's
 * `authTime` (the last active authentication, OIDC `auth_time`), not from its
 * creation, so a re-authentication renews it.
 */
import type { ServiceEnv } from "../env.ts"

/** Step-up settings of one request. */
export interface StepUpSettings {
  /** A session authenticated at most this long ago may make account security changes. */
  readonly maxAgeSeconds: number
}

/** 5 minutes. */
export const defaultStepUpSettings: StepUpSettings = { maxAgeSeconds: 300 }

/** Reads `STEP_UP_MAX_AGE_SECONDS`. */
export const stepUpSettingsFor = (env: Pick<ServiceEnv, "STEP_UP_MAX_AGE_SECONDS">): StepUpSettings => {
  const configured = Number(env.STEP_UP_MAX_AGE_SECONDS?.trim() || Number.NaN)
  return Number.isFinite(configured) && configured > 0 ? { maxAgeSeconds: configured } : defaultStepUpSettings
}
