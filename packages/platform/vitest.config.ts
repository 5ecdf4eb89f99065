import { defineConfig } from "vitest/config"
// Workers-free code: plain Node (WebCrypto, btoa and TextEncoder are globals there too).
export default defineConfig({ test: { name: "platform", include: ["test/**/*.test.ts"], environment: "node" } })
