import type { D1Migration } from "cloudflare:test"
import type { SessionEnv } from "../src/env.ts"

declare global {
  namespace Cloudflare {
    interface Env extends SessionEnv {
      /** JSON of every committed service binding (test-support/service_bindings_in_repo.ts), for binding_surface.test.ts. */
      SERVICE_BINDINGS_IN_REPO: string
      TEST_MIGRATIONS: D1Migration[]
    }
    interface GlobalProps {
      mainModule: typeof import("../src/index.ts")
      durableNamespaces: "SessionStore"
    }
  }
}
