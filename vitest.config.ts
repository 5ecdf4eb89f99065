import { defineConfig } from "vitest/config"
export default defineConfig({
  test: {
    projects: ["contracts/vitest.config.ts", "packages/*/vitest.config.ts", "scripts/vitest.config.ts", "services/*/vitest.config.ts", "services/edge/vitest.e2e.config.ts"],
    globalSetup: ["./test-support/build-backends.ts"],
    passWithNoTests: true
  }
})
