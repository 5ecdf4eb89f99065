/**
 * The bench's client and users, shared by the runner (seeds Authrim), the
 * reference provider (registers the same client, hashes the same users) and
 * the load generator (signs them in). One fresh user per sign-in, so every
 * sign-in really shows the consent screen and creates a new session.
 */
import type { SeedFile } from "../scripts/local_stack.ts"

/** The confidential client both providers register. */
export const benchClient = {
  clientId: "bench-app",
  clientSecret: "bench-secret-7d1f0c9a2e4b6a8c3f51",
  // Port 9 (discard): nobody serves it; the driver stops at the redirect and reads the code from its URL.
  redirectUri: "http://127.0.0.1:9/bench/callback",
  scope: "openid profile email offline_access",
  grantTypes: ["authorization_code", "refresh_token", "client_credentials"]
} as const

/** One password for every bench user (each still gets its own salt). */
export const BENCH_PASSWORD = "bench-password-5e8a2c"

/** Email of bench user `i` (0-based). */
export const benchUserEmail = (i: number): string => `bench-user-${i}@bench.local`

/** Display name of bench user `i`. */
export const benchUserName = (i: number): string => `Bench User ${i}`

/** The seed file for Authrim with `users` bench users (format: README "Seed file"). */
export const benchSeedFile = (users: number): SeedFile => ({
  clients: [{
    client_id: benchClient.clientId,
    client_secret: benchClient.clientSecret,
    client_name: "Bench App",
    redirect_uris: [benchClient.redirectUri],
    grant_types: [...benchClient.grantTypes],
    token_endpoint_auth_method: "client_secret_basic",
    scope: benchClient.scope,
    skip_consent: false
  }],
  users: Array.from({ length: users }, (_, i) => ({ email: benchUserEmail(i), password: BENCH_PASSWORD, name: benchUserName(i), email_verified: true }))
})
