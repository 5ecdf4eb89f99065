/**
 * The settings a production deployment must have (README "Production
 * settings"; each is a `requiredSetting`/`misconfigured` call in its service,
 * contracts/src/deployment.ts): the secrets setup generates at random, and
 * the values only the operator can choose.
 */

/** A secret setup generates: 32 random bytes, base64url (43 characters, above every ≥ 32-character minimum). */
export interface RandomSecret {
  /** The committed worker name that reads it. */
  readonly worker: string
  readonly name: string
  /** Why it must exist (printed when it is created). */
  readonly purpose: string
}

/**
 * Every secret the code requires that no operator needs to know (and the deep
 * health check's token, which the code does not require). Generated
 * once: setup never replaces one that exists, because each keys data at rest
 * or in flight (TOTP secrets, sealed codes and transactions, device cookies).
 */
export const randomSecrets: ReadonlyArray<RandomSecret> = [
  { worker: "authrim-identity", name: "MFA_ENCRYPTION_KEY", purpose: "encrypts TOTP secrets at rest" },
  { worker: "authrim-tokens", name: "DPOP_NONCE_SECRET", purpose: "derives DPoP server nonces (RFC 9449 §8)" },
  { worker: "authrim-tokens", name: "AUTHORIZATION_CODE_KEY", purpose: "seals authorization codes" },
  { worker: "authrim-tokens", name: "REFRESH_SUCCESSOR_SECRET", purpose: "derives the one successor of a refresh token (reuse grace window)" },
  { worker: "authrim-tokens", name: "PAIRWISE_SUBJECT_SECRET", purpose: "derives pairwise subject identifiers (OIDC Core §8.1) and seals their real user" },
  { worker: "authrim-edge", name: "TRANSACTION_SEAL_SECRET", purpose: "seals login/consent transactions" },
  { worker: "authrim-edge", name: "DEVICE_COOKIE_SECRET", purpose: "signs the remembered-device cookie" },
  // Optional in the code (unset: the deep check answers 404); setup keeps its value in deploy/<env>.health-token for npm run deploy.
  { worker: "authrim-edge", name: "HEALTH_TOKEN", purpose: "bearer token of GET /health?deep=1 (npm run deploy checks it)" }
]

/** How identity sends email in production (`outbox` is development-only). */
export type EmailTransport = "send_email" | "http"

/** What setup asks the operator for (or takes from flags), kept in the generated deployment config. */
export interface OperatorSettings {
  /** `ISSUER` of the edge (and of the keys worker, which signs only tokens naming it), an https origin such as `https://id.example.com`. */
  readonly issuer: string
  /** `EMAIL_FROM` of identity, e.g. `Authrim <no-reply@example.com>`. */
  readonly emailFrom: string
  readonly emailTransport: EmailTransport
  /** `EMAIL_HTTP_URL` when the transport is `http` (its API key is the secret `EMAIL_HTTP_API_KEY`). */
  readonly emailHttpUrl?: string | undefined
  /** `WEBAUTHN_RP_ID`: the registrable domain passkeys are bound to (the issuer's host or a parent of it). */
  readonly webauthnRpId: string
  /** `WEBAUTHN_RP_NAME`, shown by authenticators. */
  readonly webauthnRpName: string
}

/** The vars each committed worker gets from the operator's settings. */
export const operatorVars = (settings: OperatorSettings): Record<string, Record<string, string>> => ({
  "authrim-edge": { ISSUER: settings.issuer },
  // keys signs only tokens whose iss is the edge's issuer (services/keys/src/token_issuer.ts).
  "authrim-keys": { ISSUER: settings.issuer },
  "authrim-identity": {
    EMAIL_TRANSPORT: settings.emailTransport,
    EMAIL_FROM: settings.emailFrom,
    ...(settings.emailHttpUrl === undefined ? {} : { EMAIL_HTTP_URL: settings.emailHttpUrl }),
    WEBAUTHN_RP_ID: settings.webauthnRpId,
    WEBAUTHN_RP_NAME: settings.webauthnRpName,
    // Passkeys are used where the sign-in pages are served: the issuer's origin.
    WEBAUTHN_ORIGINS: new URL(settings.issuer).origin
  }
})

/** Secrets only the operator can give, for these settings (the http email transport's API key). */
export const operatorSecretsFor = (settings: OperatorSettings): ReadonlyArray<{ readonly worker: string; readonly name: string }> =>
  settings.emailTransport === "http" ? [{ worker: "authrim-identity", name: "EMAIL_HTTP_API_KEY" }] : []

/** A production var (worker → names) the dry-run insists on. */
export const requiredVars: Readonly<Record<string, ReadonlyArray<string>>> = {
  "authrim-edge": ["ISSUER"],
  "authrim-keys": ["ISSUER"],
  "authrim-identity": ["EMAIL_TRANSPORT", "EMAIL_FROM", "WEBAUTHN_RP_ID", "WEBAUTHN_RP_NAME", "WEBAUTHN_ORIGINS"]
}

/** Checks what the operator gave: a problem per field, empty when usable. */
export const operatorSettingsProblems = (settings: OperatorSettings): ReadonlyArray<string> => {
  const problems: Array<string> = []
  let issuer: URL | undefined
  try {
    issuer = new URL(settings.issuer)
  } catch {
    problems.push(`issuer ${JSON.stringify(settings.issuer)} is not a URL`)
  }
  if (issuer !== undefined) {
    if (issuer.protocol !== "https:") problems.push("issuer must be https (OIDC Core §3.1.2.1, RFC 8414 §2)")
    if (issuer.search !== "" || issuer.hash !== "") problems.push("issuer must have no query or fragment (RFC 8414 §2)")
    const host = issuer.hostname
    if (host !== settings.webauthnRpId && !host.endsWith(`.${settings.webauthnRpId}`)) {
      problems.push(`WebAuthn RP id ${settings.webauthnRpId} must be the issuer's host ${host} or a parent domain of it`)
    }
  }
  if (!/@/.test(settings.emailFrom)) problems.push(`email sender ${JSON.stringify(settings.emailFrom)} has no address`)
  if (settings.emailTransport === "http" && settings.emailHttpUrl === undefined) problems.push("the http email transport needs --email-http-url")
  return problems
}
