/**
 * Cross-service tests of the edge: all five backends run as auxiliary
 * workers. The edge has no storage; the D1 binding here is TEST-ONLY — it has
 * the same id ("authrim-local") as the session/identity databases, and
 * Miniflare keys D1 storage by id, so the setup file migrates the very
 * database the backends use.
 *
 * Every worker runs with AUTHRIM_ENV=development (scripts/development_settings.ts),
 * except a second, production-configured copy of the five backends
 * (`authrim-<service>-production`, same bundles, reached through the
 * TEST-ONLY `<SERVICE>_PRODUCTION` bindings): test/production_settings.test.ts
 * runs the edge in-process with production vars over them.
 */
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin"
import { randomBytes } from "node:crypto"
import { defineConfig } from "vitest/config"
import { auxiliaryWorker, backendServices, migrationsDir } from "../../test-support/backends.ts"
import { testDevelopmentVars } from "../../scripts/development_settings.ts"
import { startRequestObjectHost } from "../../test-support/request_object_host.ts"

/**
 * The production copy's vars on top of the committed wrangler.jsonc (AUTHRIM_ENV=production): keys gets the
 * issuer the production tests' edge uses (ISSUER = test/support/browser.ts ORIGIN), which production requires; identity is
 * deliberately incomplete — no MFA_ENCRYPTION_KEY, and the outbox transport production refuses — and tokens has
 * no DPOP_NONCE_SECRET, so the tests see each configuration error.
 */
const productionVars = (service: string): Record<string, string> =>
  service === "identity"
    ? { EMAIL_TRANSPORT: "outbox", EMAIL_FROM: "Authrim <no-reply@op.test>", WEBAUTHN_RP_ID: "op.test", WEBAUTHN_RP_NAME: "Authrim", WEBAUTHN_ORIGINS: "https://op.test" }
    : service === "keys" ? { ISSUER: "https://op.test" } : {}

// TEST-ONLY: an RP's web server for request objects by reference (test/request_uri.test.ts), started once per run.
const requestObjectHost = await startRequestObjectHost()

export default defineConfig({
  plugins: [cloudflareTest(async () => ({
    wrangler: { configPath: "./wrangler.jsonc" },
    miniflare: {
      workers: [
        // COST_METER_HEADER on every backend too: each reports what it cost in its RPC envelopes (test/cost_meter.test.ts).
        ...backendServices.map((service) => auxiliaryWorker(service, { vars: { ...testDevelopmentVars(`authrim-${service}`), COST_METER_HEADER: "true" } })),
        ...backendServices.map((service) => auxiliaryWorker(service, { suffix: "-production", vars: productionVars(service) }))
      ],
      d1Databases: { DB: "authrim-local" },
      // TEST-ONLY: identity's initial access tokens (same id, so the same local KV), to plant an expired one (test/dynamic_registration.test.ts).
      kvNamespaces: { INITIAL_ACCESS_TOKENS: "authrim-initial-access-tokens" },
      // TEST-ONLY: a real service binding nobody answers (closed local port), to test the edge with the limiter down.
      serviceBindings: {
        RATELIMIT_UNREACHABLE: { external: { address: "127.0.0.1:9", http: {} } },
        // TEST-ONLY: the production-configured backends (test/production_settings.test.ts).
        KEYS_PRODUCTION: { name: "authrim-keys-production", entrypoint: "KeysForEdge" },
        KEYS_ADMIN_PRODUCTION: { name: "authrim-keys-production", entrypoint: "KeysAdmin" },
        SESSION_PRODUCTION: { name: "authrim-session-production", entrypoint: "SessionForEdge" },
        SESSION_ADMIN_PRODUCTION: { name: "authrim-session-production", entrypoint: "SessionAdmin" },
        TOKENS_PRODUCTION: { name: "authrim-tokens-production", entrypoint: "TokensForEdge" },
        TOKENS_ADMIN_PRODUCTION: { name: "authrim-tokens-production", entrypoint: "TokensAdmin" },
        RATELIMIT_PRODUCTION: { name: "authrim-ratelimit-production", entrypoint: "RateLimitForEdge" },
        IDENTITY_PRODUCTION: { name: "authrim-identity-production", entrypoint: "IdentityForEdge" },
        IDENTITY_ADMIN_PRODUCTION: { name: "authrim-identity-production", entrypoint: "IdentityAdmin" },
        // TEST-ONLY: identity's seeding entrypoint (what `npm run seed` binds), for tests that plant users and clients.
        IDENTITY_SEED: { name: "authrim-identity", entrypoint: "IdentitySeed" },
        // TEST-ONLY: what a resource server's Worker binds (test/token_exchange.test.ts: it accepts an exchanged token for its audience).
        TOKENS_FOR_RESOURCE_SERVERS: { name: "authrim-tokens", entrypoint: "TokensForResourceServers" }
      },
      // DPOP_NONCE_REQUIRED_FOR: the DPoP nonce tests use this client id (test/dpop_nonce.test.ts).
      // COST_METER_HEADER: every response carries its bill, so every test also runs the metered path (test/cost_meter.test.ts).
      // DEVICE_COOKIE_SECRET: required by password sign-in (no default in the source); a fresh one per run.
      // AUTHRIM_ENV=development: the committed wrangler.jsonc says production.
      // EDGE_SETTINGS_TTL_MS=0: tests flip settings through identity and expect the next page to show it (the copy itself: test/sign_in_methods.test.ts).
      // REQUEST_OBJECT_HOST: TEST-ONLY, where test/request_uri.test.ts stores the request objects the edge fetches.
      bindings: { ...testDevelopmentVars("authrim-edge"), REQUEST_OBJECT_HOST: requestObjectHost, EDGE_SETTINGS_TTL_MS: "0", TEST_MIGRATIONS: await readD1Migrations(migrationsDir), DPOP_NONCE_REQUIRED_FOR: "dpop-nonce-rp", COST_METER_HEADER: "true", DEVICE_COOKIE_SECRET: randomBytes(32).toString("base64url") }
    }
  }))],
  // Cross-service flows hash passwords (PBKDF2) on a shared 2-core CI machine: a generous per-test budget, not a performance claim.
  test: { name: "edge", include: ["test/**/*.test.ts"], setupFiles: ["./test/apply-migrations.ts"], testTimeout: 60_000 }
})
