import { cloudflareTest } from "@cloudflare/vitest-plugin"
import { defineConfig } from "vitest/config"
export default defineConfig({
  plugins: [cloudflareTest({
    miniflare: {
      compatibilityDate: "2026-11-01",
      compatibilityFlags: ["nodejs_compat"],
      d1Databases: { DB: "contracts-test-db" }
    }
  })],
  test: { name: "contracts", include: ["test/**/*.test.ts"] }
})
