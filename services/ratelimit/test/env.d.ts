import type { ServiceEnv } from "../src/env.ts"

declare global {
  namespace Cloudflare {
    interface Env extends ServiceEnv {}
    /** Types `exports` from `cloudflare:workers` (loopback bindings to this worker's entrypoints). */
    interface GlobalProps {
      mainModule: typeof import("../src/index.ts")
      durableNamespaces: "RateLimiterCounter"
    }
  }
}
