import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin"
import { defineConfig } from "vitest/config"
import { migrationsDir } from "../../test-support/backends.ts"

export default defineConfig({
  plugins: [cloudflareTest(async () => ({
    wrangler: { configPath: "./wrangler.jsonc" },
    miniflare: { bindings: { TEST_MIGRATIONS: await readD1Migrations(migrationsDir) } }
  }))],
  test: { name: "identity", include: ["test/**/*.test.ts"], setupFiles: ["./test/apply-migrations.ts"] }
})
