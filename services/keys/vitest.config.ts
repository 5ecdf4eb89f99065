import { cloudflareTest } from "@cloudflare/vitest-plugin"
import { defineConfig } from "vitest/config"
import { testDevelopmentVars } from "../../scripts/development_settings.ts"
// SERVICE_BINDINGS_IN_REPO: every committed service binding, for test/binding_surface.test.ts.
import { serviceBindingsVar } from "../../test-support/service_bindings_in_repo.ts"
export default defineConfig({
  plugins: [cloudflareTest({
    wrangler: { configPath: "./wrangler.jsonc" },
    miniflare: {
      // AUTHRIM_ENV=development: the committed wrangler.jsonc says production (scripts/development_settings.ts).
      // ISSUER (TEST-ONLY value): every signed token's iss must equal it (src/token_issuer.ts; test/keys_rpc.ts testIssuer).
      bindings: { ...testDevelopmentVars("authrim-keys"), ISSUER: "https://op.test", ...serviceBindingsVar() },
      // Test-only bindings to this worker's own entrypoints, so tests call each over real Workers RPC
      // (serialisation included), as the edge (`KEYS`, `KEYS_ADMIN`) and tokens (`KEYS`) do.
      serviceBindings: {
        KEYS_FOR_EDGE: { name: "authrim-keys", entrypoint: "KeysForEdge" },
        KEYS_ADMIN: { name: "authrim-keys", entrypoint: "KeysAdmin" },
        KEYS_FOR_TOKENS: { name: "authrim-keys", entrypoint: "KeysForTokens" }
      }
    }
  })],
  // RSA key generation on first use can take seconds on a loaded machine; generous, not a performance bound.
  test: { name: "keys", include: ["test/**/*.test.ts"], testTimeout: 30_000 }
})
