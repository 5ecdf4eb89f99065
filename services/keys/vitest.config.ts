import { cloudflareTest } from "@cloudflare/vitest-plugin"
import { defineConfig } from "vitest/config"
import { testDevelopmentVars } from "../../scripts/development_settings.ts"
export default defineConfig({
  plugins: [cloudflareTest({
    wrangler: { configPath: "./wrangler.jsonc" },
    miniflare: {
      // AUTHRIM_ENV=development: the committed wrangler.jsonc says production (scripts/development_settings.ts).
      bindings: testDevelopmentVars("authrim-keys"),
      // Test-only binding to this worker's own entrypoint, so tests call KeysService
      // over real Workers RPC (serialisation included), as the edge does through `KEYS`.
      serviceBindings: { KEYS_UNDER_TEST: { name: "authrim-keys", entrypoint: "KeysService" } }
    }
  })],
  // RSA key generation on first use can take seconds on a loaded machine; generous, not a performance bound.
  test: { name: "keys", include: ["test/**/*.test.ts"], testTimeout: 30_000 }
})
