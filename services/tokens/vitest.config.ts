import { cloudflareTest } from "@cloudflare/vitest-plugin"
import { defineConfig } from "vitest/config"
import { auxiliaryWorker } from "../../test-support/backends.ts"
import { testDevelopmentVars } from "../../scripts/development_settings.ts"
// SERVICE_BINDINGS_IN_REPO: every committed service binding, for test/binding_surface.test.ts.
import { serviceBindingsVar } from "../../test-support/service_bindings_in_repo.ts"

export default defineConfig({
  plugins: [cloudflareTest({
    wrangler: { configPath: "./wrangler.jsonc" },
    // Signing and the JWKS come from the real keys service.
    // AUTHRIM_ENV=development: the committed wrangler.jsonc says production (scripts/development_settings.ts).
    // TEST-ONLY KEYS_ADMIN: the keys worker's admin entrypoint, to rotate keys in a test (tokens itself binds only KeysForTokens).
    miniflare: {
      workers: [auxiliaryWorker("keys")],
      bindings: { ...testDevelopmentVars("authrim-tokens"), ...serviceBindingsVar() },
      serviceBindings: { KEYS_ADMIN: { name: "authrim-keys", entrypoint: "KeysAdmin" } }
    }
  })],
  test: { name: "tokens", include: ["test/**/*.test.ts"] }
})
