import type { ServiceEnv } from "../src/env.ts"

declare global {
  namespace Cloudflare {
    interface Env extends ServiceEnv {}
    /** Types `exports` from cloudflare:workers (loopback to TokensService) in tests. */
    interface GlobalProps {
      mainModule: typeof import("../src/index.ts")
      durableNamespaces: "AuthorizationCodeStore" | "RefreshTokenRotator" | "TokenRevocationStore" | "PARRequestStore" | "DeviceCodeStore" | "DPoPJTIStore" | "RefreshFamilyIndex"
    }
  }
}
