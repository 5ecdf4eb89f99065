import type { D1Migration } from "cloudflare:test"
import type { ServiceEnv } from "../src/env.ts"

declare global {
  namespace Cloudflare {
    interface Env extends ServiceEnv {
      TEST_MIGRATIONS: D1Migration[]
    }
    interface GlobalProps {
      mainModule: typeof import("../src/index.ts")
      durableNamespaces: "ChallengeStore" | "AssertionJtiStore"
    }
  }
}
