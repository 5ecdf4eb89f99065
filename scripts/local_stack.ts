/**
 * Runs Authrim locally the way `npm start`, `npm run seed`, the end-to-end
 * tests and the benchmarks all do: one local D1 (migrated), one `wrangler dev`
 * process serving the edge with every backend behind service bindings, all
 * state under one `--persist-to` folder. Every worker runs with
 * `AUTHRIM_ENV=development` and the development settings of
 * development_settings.ts (the committed configs say production).
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process"
import { randomBytes } from "node:crypto"
import { mkdirSync, readFileSync, writeFileSync } from "node:fs"
import net from "node:net"
import path from "node:path"
import { experimental_readRawConfig } from "wrangler"
import { developmentMfaKey, developmentVars, localOrigins } from "./development_settings.ts"
import type { UserProfilePatch } from "../contracts/src/user_profile.ts"

export const repoRoot = path.resolve(import.meta.dirname, "..")
const wrangler = path.join(repoRoot, "node_modules/.bin/wrangler")
const quietEnv = { ...process.env, WRANGLER_SEND_METRICS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false", CI: "true" }

/** Every worker config, the public edge first (only the first config is served on the port). */
export const workerConfigs = ["edge", "identity", "session", "tokens", "keys", "ratelimit"].map((s) =>
  path.join(repoRoot, "services", s, "wrangler.jsonc")
)

/** Applies the D1 migrations to the local database under `persistDir` (idempotent). */
export const migrate = (persistDir: string): void => {
  const result = spawnSync(
    wrangler,
    ["d1", "migrations", "apply", "authrim-local", "--local", "--persist-to", persistDir, "-c", path.join(repoRoot, "services/identity/wrangler.jsonc")],
    { env: quietEnv, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }
  )
  if (result.status !== 0) throw new Error(`D1 migrations failed:\n${result.stdout}\n${result.stderr}`)
}

/** A free TCP port on 127.0.0.1. */
export const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = net.createServer()
    server.once("error", reject)
    server.listen(0, "127.0.0.1", () => {
      const address = server.address()
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))))
    })
  })

/**
 * Ends the process group of `child` (started with `detached: true`): SIGTERM,
 * then SIGKILL after 5 s. Never by name — other people's servers run here too.
 */
export const stopProcessGroup = async (child: ChildProcess): Promise<void> => {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return
  const pid = child.pid
  const exited = new Promise((r) => child.once("exit", r))
  try { process.kill(-pid, "SIGTERM") } catch { /* already gone */ }
  const timer = setTimeout(() => { try { process.kill(-pid, "SIGKILL") } catch { /* gone */ } }, 5000)
  await exited
  clearTimeout(timer)
}

/** A running `wrangler dev`; `stop()` ends its whole process group. */
export interface DevServer {
  readonly url: string
  readonly process: ChildProcess
  stop(): Promise<void>
}

/**
 * Copies of `configs` for a development run, written under `persistDir`:
 * each with the development vars of its worker and `everyWorkerVars` merged
 * into `vars` (and its paths made absolute). `issuer`: the edge's `ISSUER`,
 * which the keys worker then requires of every token it signs. A copy, because `wrangler dev` with several configs
 * gives `--var` to the first worker only, and the committed configs must stay
 * production ones.
 */
export const developmentConfigs = (
  configs: ReadonlyArray<string>,
  persistDir: string,
  port: number,
  everyWorkerVars: Readonly<Record<string, string>> = {},
  issuer?: string
): Array<string> => {
  // TRANSACTION_SEAL_SECRET: fresh per start (a sign-in left open across a restart simply starts again).
  const options = {
    mfaEncryptionKey: developmentMfaKey(persistDir), webauthnOrigins: localOrigins(port), transactionSealSecret: randomBytes(32).toString("base64url"),
    ...(issuer === undefined ? {} : { issuer })
  }
  const outDir = path.join(persistDir, "development-config")
  mkdirSync(outDir, { recursive: true })
  return configs.map((configPath) => {
    const raw = experimental_readRawConfig({ config: configPath }).rawConfig as Record<string, unknown> & {
      name?: string
      main?: string
      vars?: Record<string, unknown>
      d1_databases?: Array<Record<string, unknown> & { migrations_dir?: string }>
    }
    const dir = path.dirname(configPath)
    const name = raw.name ?? path.basename(dir)
    const copy = {
      ...raw,
      ...(raw.main === undefined ? {} : { main: path.resolve(dir, raw.main) }),
      ...(raw.d1_databases === undefined ? {} : {
        d1_databases: raw.d1_databases.map((d) => (d.migrations_dir === undefined ? d : { ...d, migrations_dir: path.resolve(dir, d.migrations_dir) }))
      }),
      vars: { ...raw.vars, ...developmentVars(name, options), ...everyWorkerVars }
    }
    const file = path.join(outDir, `${name}.json`)
    writeFileSync(file, JSON.stringify(copy, null, 2) + "\n")
    return file
  })
}

/**
 * Starts `wrangler dev` with `configs` on 127.0.0.1:`port` in its own process
 * group (so stopping it also stops workerd) and waits until it answers. Every
 * worker runs in development (`developmentConfigs`); `vars` go to the first
 * (the edge) on top of that, `everyWorkerVars` to every worker. An `ISSUER`
 * in `vars` also reaches the keys worker (it checks every token's `iss`).
 */
export const startDev = async (options: {
  configs: ReadonlyArray<string>
  persistDir: string
  port: number
  vars?: Record<string, string>
  everyWorkerVars?: Record<string, string>
  inherit?: boolean
  /**
   * A private dev registry (WRANGLER_REGISTRY_PATH) shared only by the
   * `wrangler dev` processes given the same path: a worker of one process then
   * binds to a worker of another (the example resource server to
   * authrim-tokens, services/edge/e2e) without finding another run's stack in
   * the machine-wide registry. Default: wrangler's own.
   */
  registryPath?: string
}): Promise<DevServer> => {
  const configs = developmentConfigs(options.configs, options.persistDir, options.port, options.everyWorkerVars, options.vars?.["ISSUER"])
  const args = ["dev", ...configs.flatMap((c) => ["-c", c]), "--persist-to", options.persistDir, "--ip", "127.0.0.1", "--port", String(options.port), "--inspector-port", String(await freePort()), "--show-interactive-dev-session=false", "--log-level", options.inherit ? "info" : "warn"]
  // DEVICE_COOKIE_SECRET has no default in the source (services/edge/src/env.ts): a local run gets a fresh random one (an edge var: --var reaches the first worker, the edge).
  const vars = { DEVICE_COOKIE_SECRET: randomBytes(32).toString("base64url"), ...options.vars }
  for (const [k, v] of Object.entries(vars)) args.push("--var", `${k}:${v}`)
  const env = options.registryPath === undefined ? quietEnv : { ...quietEnv, WRANGLER_REGISTRY_PATH: options.registryPath }
  const child = spawn(wrangler, args, { env, detached: true, stdio: options.inherit ? "inherit" : ["ignore", "pipe", "pipe"] })
  let output = ""
  child.stdout?.on("data", (d) => (output += d))
  child.stderr?.on("data", (d) => (output += d))
  const url = `http://127.0.0.1:${options.port}`
  const stop = () => stopProcessGroup(child)
  const deadline = Date.now() + 90_000
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`wrangler dev exited early:\n${output}`)
    try {
      const res = await fetch(url + "/.well-known/openid-configuration", { signal: AbortSignal.timeout(2000) })
      if (res.status < 500 || res.status === 503) return { url, process: child, stop }
    } catch { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 300))
  }
  await stop()
  throw new Error(`wrangler dev did not answer within 90 s:\n${output}`)
}

/** The seed file format (documented in the README). */
export interface SeedFile {
  clients?: Array<{
    client_id: string
    client_secret?: string
    client_name?: string
    redirect_uris: string[]
    post_logout_redirect_uris?: string[]
    /** OIDC Back-Channel Logout 1.0: where logout tokens are POSTed. */
    backchannel_logout_uri?: string
    /** OIDC Front-Channel Logout 1.0: the page /end_session loads in an iframe (with iss and sid). */
    frontchannel_logout_uri?: string
    /** JAR §5.2: where /authorize may fetch this client's request objects by reference. */
    request_uris?: string[]
    /** "fapi2_security": the FAPI 2.0 Security Profile (PAR, PKCE, DPoP; needs private_key_jwt). */
    fapi_profile?: "fapi2_security"
    /** RFC 8693 token exchange (confidential clients; also list the token-exchange grant type): exact audiences, delegation. */
    token_exchange_policy?: { audiences: string[]; delegation: boolean }
    /** RFC 8707 resource indicators the client may name (≤ 10 absolute URIs, no fragment); the access token's aud. */
    resources?: string[]
    /** OIDC Core §8: "pairwise" gives the client per-sector subjects (one redirect host, or a sector_identifier_uri). */
    subject_type?: "public" | "pairwise"
    /** OIDC Registration §2: https URL of the sector document (not fetched when seeding: the operator vouches for it). */
    sector_identifier_uri?: string
    grant_types?: string[]
    token_endpoint_auth_method?: "client_secret_basic" | "client_secret_post" | "none" | "private_key_jwt"
    /** private_key_jwt (RFC 7523): the client's public keys by value, or the URL of its JWK Set (exactly one). */
    jwks?: { keys: Array<Record<string, unknown>> }
    jwks_uri?: string
    public?: boolean
    scope?: string
    skip_consent?: boolean
    /** RFC 9126 §6: this client's authorization requests only through PAR (`/par`). */
    require_pushed_authorization_requests?: boolean
    /** Issue 9 §2: refresh tokens without offline_access, bound to the session (default false). */
    online_refresh_tokens?: boolean
  }>
  /**
   * Users; besides the account fields, any OIDC standard claim (OIDC Core §5.1, issue 12 §4) by its claim name:
   * given_name, family_name, middle_name, nickname, preferred_username, profile, picture, website, gender,
   * birthdate, zoneinfo, locale, phone_number, phone_number_verified, address {formatted, street_address, …}.
   * Checked as an admin edit is (identity's updateUserProfile); a bad value fails the seed naming the field.
   */
  users?: Array<{
    email: string; password?: string; name?: string; email_verified?: boolean; roles?: string[]; totp_secret?: string
    /** Custom field values by field name (issue 12 §4), checked against `custom_fields` (a bad value fails the seed naming it). */
    custom_fields?: Record<string, string | number | boolean>
  } & SeedProfileClaims>
  /**
   * Custom field definitions (issue 12 §4), created or updated by name (README "Custom fields"):
   * type string | number | boolean | date | enum; validation {max_length, pattern, min, max, enum_values}.
   */
  custom_fields?: Array<{
    name: string
    type: "string" | "number" | "boolean" | "date" | "enum"
    validation?: { max_length?: number; pattern?: string; min?: number; max?: number; enum_values?: string[] }
    labels: { en: string; ja: string }
    user_editable?: boolean
    required?: boolean
  }>
  /** Scope → claim mappings, created or replaced (source_table `users` with an allow-listed column, or `user_custom_fields` with a defined field). */
  scope_mappings?: Array<{ scope: string; claim: string; source_table: "users" | "user_custom_fields"; source_column: string }>
  /** RBAC roles, created or updated by name; permissions from contracts/src/rbac.ts (README "Admin API"). */
  roles?: Array<{ name: string; description?: string; permissions: string[] }>
  /** Upstream identity providers ("Sign in with …"); see README. */
  providers?: Array<{
    id: string
    type: "oidc" | "oauth2"
    name: string
    enabled?: boolean
    issuer?: string
    client_id: string
    client_secret?: string
    scopes?: string[]
    token_endpoint_auth_method?: "client_secret_basic" | "client_secret_post"
    authorization_endpoint?: string
    token_endpoint?: string
    userinfo_endpoint?: string
    claims?: { sub?: string; email?: string; email_verified?: string; name?: string }
  }>
  /**
   * Initial access tokens for dynamic client registration (RFC 7591; README "Dynamic client registration"):
   * each is generated by the identity service and printed once (only its hash is stored).
   */
  /**
   * Branding of every hosted page and email (issue 12 §5; README "Branding"): absent members keep their
   * value, null clears one. Checked like an admin's PATCH /branding (colours #rrggbb with WCAG AA contrast,
   * https links); a bad value fails the seed naming the field.
   */
  branding?: {
    product_name?: string
    logo_url?: string | null
    primary_color?: string | null
    primary_color_dark?: string | null
    background_color?: string | null
    support_url?: string | null
    support_email?: string | null
    privacy_policy_url?: string | null
    terms_url?: string | null
    footer_text?: string | null
  }
  initial_access_tokens?: Array<{
    description?: string
    /** Seconds, 60 … 604800 (7 days); default one day. */
    expires_in?: number
    single_use?: boolean
    /** What a client registered with the token may ask for (absent: anything valid). */
    policy?: { scope?: string; grant_types?: string[]; token_endpoint_auth_methods?: string[] }
  }>
}

/** The admin console's public client (services/edge/src/console/console_session.ts). */
export const CONSOLE_CLIENT_ID = "authrim-admin"

/**
 * `file` with the console's client registered for `issuer`: its `<issuer>/admin/callback` added to the
 * redirect URIs of `authrim-admin` (the client created — public, `openid admin`, no consent — when the file has none),
 * so the console works on whatever host and port `npm start` or a test harness actually serves.
 */
export const withConsoleClient = (file: SeedFile, issuer: string): SeedFile => {
  const callback = `${issuer}/admin/callback`
  const clients = file.clients ?? []
  const existing = clients.find((c) => c.client_id === CONSOLE_CLIENT_ID)
  const consoleClient = existing === undefined
    ? { client_id: CONSOLE_CLIENT_ID, client_name: "Authrim admin console", public: true, redirect_uris: [callback], grant_types: ["authorization_code", "refresh_token"], scope: "openid admin", skip_consent: true }
    : { ...existing, redirect_uris: existing.redirect_uris.includes(callback) ? existing.redirect_uris : [...existing.redirect_uris, callback] }
  return { ...file, clients: [...clients.filter((c) => c.client_id !== CONSOLE_CLIENT_ID), consoleClient] }
}

/** The standard claims a seed user may carry (same names and shapes as contracts/src/user_profile.ts `UserProfilePatch`). */
export type SeedProfileClaims = Omit<UserProfilePatch, "name">

const profileClaimNames = [
  "given_name", "family_name", "middle_name", "nickname", "preferred_username", "profile", "picture", "website", "gender",
  "birthdate", "zoneinfo", "locale", "phone_number", "phone_number_verified", "address"
] as const

/** The standard claims of a seed user (absent ones left out), or undefined when it has none. */
const profileOf = (user: SeedProfileClaims): UserProfilePatch | undefined => {
  const entries = profileClaimNames.flatMap((claim) => (user[claim] === undefined ? [] : [[claim, user[claim]] as const]))
  return entries.length === 0 ? undefined : Object.fromEntries(entries)
}

/** Maps the snake_case seed file onto the identity contract's inputs. */
export const seedRequest = (file: SeedFile) => ({
  clients: (file.clients ?? []).map((c) => ({
    clientId: c.client_id,
    clientName: c.client_name,
    clientSecret: c.public ? null : (c.client_secret ?? null),
    redirectUris: c.redirect_uris,
    postLogoutRedirectUris: c.post_logout_redirect_uris,
    backchannelLogoutUri: c.backchannel_logout_uri,
    frontchannelLogoutUri: c.frontchannel_logout_uri,
    requestUris: c.request_uris,
    fapiProfile: c.fapi_profile,
    tokenExchangePolicy: c.token_exchange_policy,
    resources: c.resources,
    subjectType: c.subject_type,
    sectorIdentifierUri: c.sector_identifier_uri,
    grantTypes: c.grant_types,
    tokenEndpointAuthMethod: c.public ? "none" : c.token_endpoint_auth_method,
    scope: c.scope,
    skipConsent: c.skip_consent,
    requirePushedAuthorizationRequests: c.require_pushed_authorization_requests,
    onlineRefreshTokens: c.online_refresh_tokens,
    jwks: c.jwks,
    jwksUri: c.jwks_uri
  })),
  users: (file.users ?? []).map((u) => ({
    email: u.email,
    password: u.password ?? null,
    name: u.name ?? null,
    emailVerified: u.email_verified ?? true,
    profile: profileOf(u),
    customFields: u.custom_fields,
    // Base32; the user's TOTP is turned on with it (an admin can then sign in with mfaRequiredForAdmins on).
    ...(u.totp_secret === undefined ? {} : { totpSecret: u.totp_secret })
  })),
  customFields: (file.custom_fields ?? []).map((f) => ({
    name: f.name,
    type: f.type,
    validation: f.validation === undefined ? undefined : {
      maxLength: f.validation.max_length, pattern: f.validation.pattern, min: f.validation.min, max: f.validation.max, enumValues: f.validation.enum_values
    },
    labels: f.labels,
    userEditable: f.user_editable,
    required: f.required
  })),
  scopeMappings: (file.scope_mappings ?? []).map((m) => ({
    scope: m.scope, claimName: m.claim, source: { sourceTable: m.source_table, sourceColumn: m.source_column }
  })),
  roles: (file.roles ?? []).map((r) => ({ name: r.name, description: r.description ?? null, permissions: r.permissions })),
  branding: file.branding === undefined ? undefined : {
    productName: file.branding.product_name,
    logoUrl: file.branding.logo_url,
    primaryColor: file.branding.primary_color,
    primaryColorDark: file.branding.primary_color_dark,
    backgroundColor: file.branding.background_color,
    supportUrl: file.branding.support_url,
    supportEmail: file.branding.support_email,
    privacyPolicyUrl: file.branding.privacy_policy_url,
    termsUrl: file.branding.terms_url,
    footerText: file.branding.footer_text
  },
  userRoles: (file.users ?? []).flatMap((u) => (u.roles ?? []).map((role) => ({ email: u.email, role }))),
  initialAccessTokens: (file.initial_access_tokens ?? []).map((t) => ({
    adminUserId: null,
    description: t.description,
    expiresInSeconds: t.expires_in,
    singleUse: t.single_use,
    policy: t.policy === undefined ? undefined : {
      scope: t.policy.scope,
      grantTypes: t.policy.grant_types,
      tokenEndpointAuthMethods: t.policy.token_endpoint_auth_methods
    }
  })),
  providers: (file.providers ?? []).map((p) => ({
    id: p.id,
    providerType: p.type,
    name: p.name,
    enabled: p.enabled,
    issuer: p.issuer,
    clientId: p.client_id,
    clientSecret: p.client_secret ?? null,
    scopes: p.scopes,
    tokenEndpointAuthMethod: p.token_endpoint_auth_method,
    authorizationEndpoint: p.authorization_endpoint,
    tokenEndpoint: p.token_endpoint,
    userinfoEndpoint: p.userinfo_endpoint,
    claims: p.claims === undefined ? undefined : { sub: p.claims.sub, email: p.claims.email, emailVerified: p.claims.email_verified, name: p.claims.name }
  }))
})

/** What the seed runner answers: ids, and the secrets it generated for confidential clients seeded without one (shown once). */
export interface SeedResult {
  readonly clients: string[]
  readonly users: string[]
  readonly generatedSecrets?: Record<string, string>
  /** The initial access tokens of the seed file, in its order: the token (shown once), its id and expiry. */
  readonly initialAccessTokens?: ReadonlyArray<{ readonly token: string; readonly id: string; readonly description: string; readonly expiresAt: number }>
}

/**
 * Creates or updates the clients and users of a seed file through the
 * identity service, by starting the seed runner beside it for a moment.
 */
export const seed = async (file: SeedFile, persistDir: string): Promise<SeedResult> => {
  const server = await startDev({
    configs: [path.join(repoRoot, "scripts/seed/wrangler.jsonc"), path.join(repoRoot, "services/identity/wrangler.jsonc")],
    persistDir,
    port: await freePort()
  })
  try {
    const res = await fetch(server.url, { method: "POST", body: JSON.stringify(seedRequest(file)) })
    const body = await res.json()
    if (!res.ok) throw new Error(`seeding failed: ${JSON.stringify(body)}`)
    return body as SeedResult
  } finally {
    await server.stop()
  }
}

/** Reads and parses a seed file. */
export const readSeedFile = (file: string): SeedFile => JSON.parse(readFileSync(file, "utf8")) as SeedFile
