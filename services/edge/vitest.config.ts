import { cloudflareTest } from "@cloudflare/vitest-plugin"
import { defineConfig } from "vitest/config"
import { auxiliaryWorker } from "../../test-support/backends.ts"
export default defineConfig({
  plugins: [cloudflareTest({
    wrangler: { configPath: "./wrangler.jsonc" },
    miniflare: { workers: [auxiliaryWorker("keys")] }
  })],
  test: { name: "edge", include: ["test/**/*.test.ts"] }
})
