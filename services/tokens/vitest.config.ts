import { cloudflareTest } from "@cloudflare/vitest-plugin"
import { defineConfig } from "vitest/config"
import { auxiliaryWorker } from "../../test-support/backends.ts"

export default defineConfig({
  plugins: [cloudflareTest({
    wrangler: { configPath: "./wrangler.jsonc" },
    // Signing and the JWKS come from the real keys service.
    miniflare: { workers: [auxiliaryWorker("keys")] }
  })],
  test: { name: "tokens", include: ["test/**/*.test.ts"] }
})
