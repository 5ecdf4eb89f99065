import { defineConfig } from "vitest/config"
// Tests of the repository itself (source conventions, scripts): plain Node, no Workers runtime.
export default defineConfig({ test: { name: "repo", include: ["test/**/*.test.ts"], environment: "node" } })
