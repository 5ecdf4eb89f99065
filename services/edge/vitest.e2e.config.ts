/** End-to-end project: Node-side openid-client against a real `wrangler dev` of every service. */
import { defineConfig } from "vitest/config"
export default defineConfig({
  test: {
    name: "e2e",
    include: ["e2e/**/*.e2e.test.ts"],
    environment: "node",
    globalSetup: ["./e2e/global-setup.ts"],
    testTimeout: 60_000,
    hookTimeout: 180_000
  }
})
