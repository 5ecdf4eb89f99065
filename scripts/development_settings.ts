/**
 * The settings of a development deployment (`AUTHRIM_ENV=development`), in
 * one place for `npm start`, the e2e tests and the bench (scripts/local_stack.ts)
 * and for the vitest projects (test-support/backends.ts, the vitest configs).
 *
 * Every committed wrangler.jsonc says `AUTHRIM_ENV=production` and carries
 * no local values (see contracts/src/deployment.ts and the README's
 * production settings table); the local values below are added only here.
 */
import { randomBytes } from "node:crypto"
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs"
import path from "node:path"

/** What a development stack varies: the TOTP key and the origins passkeys may be used from. */
export interface DevelopmentOptions {
  /** `MFA_ENCRYPTION_KEY` of the identity worker (there is no key in the source). */
  readonly mfaEncryptionKey: string
  /** `WEBAUTHN_ORIGINS`: where the sign-in pages are served. */
  readonly webauthnOrigins: ReadonlyArray<string>
  /** `AUTHORIZATION_CODE_KEY` of the tokens worker; absent: one random key per process (codes live 60 s, nothing to keep). */
  readonly authorizationCodeKey?: string
  /** `TRANSACTION_SEAL_SECRET` of the edge (the AES-GCM key of sealed sign-in transactions; there is none in the source). */
  readonly transactionSealSecret: string
  /** `HEALTH_TOKEN` of the edge (bearer token of `GET /health?deep=1`); absent: the deep check stays off (404). */
  readonly healthToken?: string
  /**
   * The edge's `ISSUER` when the stack has one (`npm start`, the e2e tests, the bench): the keys worker gets it
   * too and signs only tokens with exactly that `iss`, as in production. Absent (the vitest projects, whose edge
   * takes the issuer from each request's origin): keys accepts any http(s) `iss` (services/keys/src/token_issuer.ts).
   */
  readonly issuer?: string
}

/** The code-sealing key of this process's development stacks (services/tokens/src/sealed_code.ts). */
const processAuthorizationCodeKey = randomBytes(32).toString("base64url")

/**
 * The vars worker `workerName` (e.g. `authrim-identity`) gets in development:
 * `AUTHRIM_ENV=development` for every worker, for tokens its code-sealing
 * key, for keys the stack's issuer (when it has one), and for identity the settings it requires (the outbox transport, which
 * only development allows; the `localhost` WebAuthn relying party; the TOTP key).
 */
export const developmentVars = (workerName: string, options: DevelopmentOptions): Record<string, string> => {
  const common = { AUTHRIM_ENV: "development" }
  if (workerName === "authrim-tokens") {
    // Development audits every refresh too (production's default leaves routine rotations out: src/token_audit.ts).
    return { ...common, AUTHORIZATION_CODE_KEY: options.authorizationCodeKey ?? processAuthorizationCodeKey, AUDIT_REFRESH_EVENTS: "all" }
  }
  if (workerName === "authrim-keys") return options.issuer === undefined ? common : { ...common, ISSUER: options.issuer }
  if (workerName === "authrim-edge") {
    return { ...common, TRANSACTION_SEAL_SECRET: options.transactionSealSecret, ...(options.healthToken === undefined ? {} : { HEALTH_TOKEN: options.healthToken }) }
  }
  if (workerName !== "authrim-identity") return common
  return {
    ...common,
    MFA_ENCRYPTION_KEY: options.mfaEncryptionKey,
    EMAIL_TRANSPORT: "outbox",
    EMAIL_FROM: "Authrim <no-reply@authrim.local>",
    WEBAUTHN_RP_ID: "localhost",
    WEBAUTHN_RP_NAME: "Authrim",
    WEBAUTHN_ORIGINS: options.webauthnOrigins.join(",")
  }
}

/** The origins of a local `wrangler dev` on `port` (passkeys need `localhost`: browsers refuse an IP as RP id). */
export const localOrigins = (port: number): ReadonlyArray<string> => [`http://localhost:${port}`, `http://127.0.0.1:${port}`]

/**
 * TEST-ONLY key material for the vitest projects (a fixed binding of their
 * configs, like their D1 ids). Never in a worker's source or wrangler.jsonc.
 */
export const TEST_MFA_ENCRYPTION_KEY = "vitest-only-mfa-key-3q8Zr1xKc0WmP7sT2vYb9uLd4hGe6nJa"

/** TEST-ONLY `AUTHORIZATION_CODE_KEY` of the vitest projects (same rule as above). */
export const TEST_AUTHORIZATION_CODE_KEY = "vitest-only-code-key-Vb7Qm2Lx9Rk4Tz1Wc8Nd5Hs3Jf6Gp0Ya"

/** TEST-ONLY `TRANSACTION_SEAL_SECRET` of the vitest projects (like {@link TEST_MFA_ENCRYPTION_KEY}). */
export const TEST_TRANSACTION_SEAL_SECRET = "vitest-only-seal-key-Vb2nQ7xLk4Rt9wZc1pYs6dHf3jMg8aEu"

/** TEST-ONLY `HEALTH_TOKEN` of the vitest projects' edge (services/edge/test/health.test.ts). */
export const TEST_HEALTH_TOKEN = "vitest-only-health-token-Qe4Wm8Zr2Tn6Kb1Yc5Hs9Lv3"

/** The development vars the vitest projects give worker `workerName`. */
export const testDevelopmentVars = (workerName: string): Record<string, string> =>
  developmentVars(workerName, {
    mfaEncryptionKey: TEST_MFA_ENCRYPTION_KEY,
    webauthnOrigins: localOrigins(8787),
    authorizationCodeKey: TEST_AUTHORIZATION_CODE_KEY,
    transactionSealSecret: TEST_TRANSACTION_SEAL_SECRET,
    healthToken: TEST_HEALTH_TOKEN
  })

/**
 * The TOTP key of the local state under `persistDir`: generated (32 random
 * bytes) the first time and kept in `development-secrets.json` beside the
 * state, so TOTP enrolments survive a restart and a fresh state gets a fresh key.
 */
export const developmentMfaKey = (persistDir: string): string => {
  const file = path.join(persistDir, "development-secrets.json")
  if (existsSync(file)) {
    const stored = JSON.parse(readFileSync(file, "utf8")) as { MFA_ENCRYPTION_KEY?: unknown }
    if (typeof stored.MFA_ENCRYPTION_KEY === "string" && stored.MFA_ENCRYPTION_KEY !== "") return stored.MFA_ENCRYPTION_KEY
  }
  const key = randomBytes(32).toString("base64url")
  mkdirSync(persistDir, { recursive: true })
  writeFileSync(file, JSON.stringify({ MFA_ENCRYPTION_KEY: key }, null, 2) + "\n", { mode: 0o600 })
  return key
}
