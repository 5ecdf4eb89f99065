import { defineConfig } from "vitest/config"
// The producer's pure parts run in plain Node; the queue path is tested in workerd by the services that emit.
export default defineConfig({ test: { name: "audit-trail", include: ["test/**/*.test.ts"], environment: "node" } })
