import { cloudflareTest } from "@cloudflare/vitest-plugin"
import { defineConfig } from "vitest/config"
import { testDevelopmentVars } from "../../scripts/development_settings.ts"
// SERVICE_BINDINGS_IN_REPO: every committed service binding, for test/binding_surface.test.ts.
import { serviceBindingsVar } from "../../test-support/service_bindings_in_repo.ts"
export default defineConfig({
  // AUTHRIM_ENV=development: the committed wrangler.jsonc says production (scripts/development_settings.ts).
  plugins: [cloudflareTest({ wrangler: { configPath: "./wrangler.jsonc" }, miniflare: { bindings: { ...testDevelopmentVars("authrim-ratelimit"), ...serviceBindingsVar() } } })],
  test: { name: "ratelimit", include: ["test/**/*.test.ts"] }
})
