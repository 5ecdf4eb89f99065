/**
 * Cross-service tests of the edge: all five backends run as auxiliary
 * workers. The edge has no storage; the D1 binding here is TEST-ONLY — it has
 * the same id ("authrim-local") as the session/identity databases, and
 * Miniflare keys D1 storage by id, so the setup file migrates the very
 * database the backends use.
 */
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin"
import { randomBytes } from "node:crypto"
import { defineConfig } from "vitest/config"
import { auxiliaryWorker, backendServices, migrationsDir } from "../../test-support/backends.ts"

export default defineConfig({
  plugins: [cloudflareTest(async () => ({
    wrangler: { configPath: "./wrangler.jsonc" },
    miniflare: {
      workers: backendServices.map(auxiliaryWorker),
      d1Databases: { DB: "authrim-local" },
      // TEST-ONLY: a real service binding nobody answers (closed local port), to test the edge with the limiter down.
      serviceBindings: { RATELIMIT_UNREACHABLE: { external: { address: "127.0.0.1:9", http: {} } } },
      // DPOP_NONCE_REQUIRED_FOR: the DPoP nonce tests use this client id (test/dpop_nonce.test.ts).
      // COST_METER_HEADER: every response carries its bill, so every test also runs the metered path (test/cost_meter.test.ts).
      // DEVICE_COOKIE_SECRET: required by password sign-in (no default in the source); a fresh one per run.
      bindings: { TEST_MIGRATIONS: await readD1Migrations(migrationsDir), DPOP_NONCE_REQUIRED_FOR: "dpop-nonce-rp", COST_METER_HEADER: "true", DEVICE_COOKIE_SECRET: randomBytes(32).toString("base64url") }
    }
  }))],
  // Cross-service flows hash passwords (PBKDF2) on a shared 2-core CI machine: a generous per-test budget, not a performance claim.
  test: { name: "edge", include: ["test/**/*.test.ts"], setupFiles: ["./test/apply-migrations.ts"], testTimeout: 60_000 }
})
