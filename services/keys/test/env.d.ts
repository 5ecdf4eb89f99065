import type { KeysEnv } from "../src/env.ts"
import type { KeysService } from "../src/keys_service.ts"

/** Bindings the keys tests see: the worker's own plus a test-only binding to its entrypoint. */
interface KeysTestEnv extends KeysEnv {
  readonly KEYS_UNDER_TEST: Service<KeysService>
}

declare global {
  namespace Cloudflare {
    interface Env extends KeysTestEnv {}
  }
}
