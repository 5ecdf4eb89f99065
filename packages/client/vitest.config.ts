import { defineConfig } from "vitest/config"
// The request parsing and the challenges are plain code: Node. The RPC path runs against the real stack in services/edge/e2e/resource_server.e2e.test.ts.
export default defineConfig({ test: { name: "client", include: ["test/**/*.test.ts"], environment: "node" } })
