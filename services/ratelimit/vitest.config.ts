import { cloudflareTest } from "@cloudflare/vitest-plugin"
import { defineConfig } from "vitest/config"
import { testDevelopmentVars } from "../../scripts/development_settings.ts"
export default defineConfig({
  // AUTHRIM_ENV=development: the committed wrangler.jsonc says production (scripts/development_settings.ts).
  plugins: [cloudflareTest({ wrangler: { configPath: "./wrangler.jsonc" }, miniflare: { bindings: testDevelopmentVars("authrim-ratelimit") } })],
  test: { name: "ratelimit", include: ["test/**/*.test.ts"] }
})
