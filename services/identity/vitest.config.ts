import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin"
import { defineConfig } from "vitest/config"
import { migrationsDir } from "../../test-support/backends.ts"
import { testDevelopmentVars } from "../../scripts/development_settings.ts"
// SERVICE_BINDINGS_IN_REPO: every committed service binding, for test/binding_surface.test.ts.
import { serviceBindingsVar } from "../../test-support/service_bindings_in_repo.ts"

export default defineConfig({
  plugins: [cloudflareTest(async () => ({
    wrangler: { configPath: "./wrangler.jsonc" },
    // The development vars (AUTHRIM_ENV, the outbox, the local WebAuthn RP, a test-only MFA key): the committed
    // wrangler.jsonc says production and carries none of them (scripts/development_settings.ts).
    miniflare: { bindings: { ...testDevelopmentVars("authrim-identity"), ...serviceBindingsVar(), TEST_MIGRATIONS: await readD1Migrations(migrationsDir) } }
  }))],
  test: { name: "identity", include: ["test/**/*.test.ts"], setupFiles: ["./test/apply-migrations.ts"] }
})
