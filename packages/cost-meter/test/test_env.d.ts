/** The bindings of the cost-meter test project (vitest.config.ts): real local D1, KV, R2 and the fixture's Durable Object. */
import type { CounterEnv } from "./fixture/metered_counter_worker.ts"

declare global {
  namespace Cloudflare {
    interface Env extends CounterEnv {
      KV: KVNamespace
      BUCKET: R2Bucket
    }
  }
}
