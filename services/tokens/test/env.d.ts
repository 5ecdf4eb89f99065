import type { KeysAdminRpc } from "@authrim/contracts"
import type { ServiceEnv } from "../src/env.ts"

declare global {
  namespace Cloudflare {
    interface Env extends ServiceEnv {
      /** JSON of every committed service binding (test-support/service_bindings_in_repo.ts), for binding_surface.test.ts. */
      SERVICE_BINDINGS_IN_REPO: string
      /** TEST-ONLY: the keys worker's admin entrypoint (vitest.config.ts), to rotate keys (issued_tokens.test.ts). */
      KEYS_ADMIN: KeysAdminRpc
    }
    /** Types `exports` from cloudflare:workers (loopback to TokensForEdge) in tests. */
    interface GlobalProps {
      mainModule: typeof import("../src/index.ts")
      durableNamespaces: "AuthorizationCodeStore" | "RefreshTokenRotator" | "TokenRevocationStore" | "PARRequestStore" | "DeviceCodeStore" | "DPoPJTIStore" | "RefreshFamilyIndex"
    }
  }
}
