import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin"
import { defineConfig } from "vitest/config"
import { migrationsDir } from "../../test-support/backends.ts"
import { testDevelopmentVars } from "../../scripts/development_settings.ts"
// SERVICE_BINDINGS_IN_REPO: every committed service binding, for test/binding_surface.test.ts.
import { serviceBindingsVar } from "../../test-support/service_bindings_in_repo.ts"

/** Small hot set in tests, so the bound and D1 promotion are exercised with a handful of sessions. */
const TEST_HOT_LIMIT = 8

export default defineConfig(async () => ({
  plugins: [cloudflareTest({
    wrangler: { configPath: "./wrangler.jsonc" },
    miniflare: { bindings: { ...testDevelopmentVars("authrim-session"), ...serviceBindingsVar(), TEST_MIGRATIONS: await readD1Migrations(migrationsDir), SESSION_HOT_LIMIT: String(TEST_HOT_LIMIT) } }
  })],
  test: { name: "session", include: ["test/**/*.test.ts"], setupFiles: ["./test/apply-migrations.ts"] }
}))
