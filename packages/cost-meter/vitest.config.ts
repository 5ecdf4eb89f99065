import { cloudflareTest } from "@cloudflare/vitest-plugin"
import { defineConfig } from "vitest/config"
export default defineConfig({
  plugins: [cloudflareTest({
    // TEST-ONLY worker with one Durable Object built like Authrim's (test/fixture/metered_counter_worker.ts).
    main: "./test/fixture/metered_counter_worker.ts",
    miniflare: {
      compatibilityDate: "2026-11-01",
      compatibilityFlags: ["nodejs_compat"],
      // Real local D1, KV and R2 for the counting tests (test/cost_meter.test.ts).
      d1Databases: { DB: "cost-meter-test-db" },
      kvNamespaces: ["KV"],
      r2Buckets: ["BUCKET"],
      durableObjects: { COUNTER: { className: "MeteredCounter", useSQLite: true } }
    }
  })],
  test: { name: "cost-meter", include: ["test/**/*.test.ts"] }
})
