/** The flags of `npm run setup` and `npm run deploy`, as an operator types them. */
import { describe, expect, it } from "vitest"
import { deployOptions, setupOptions } from "../deploy/cli_options.ts"

describe("npm run setup / deploy — flags", () => {
  it("setup defaults to production, asks before creating, and takes the operator's settings as flags", () => {
    expect(setupOptions([])).toEqual({ env: "production", yes: false, reset: false, flags: {} })
    expect(setupOptions(["--env", "staging", "--yes", "--issuer", "https://id.example.com", "--webauthn-rp-id", "example.com"])).toEqual({
      env: "staging",
      yes: true,
      reset: false,
      flags: { issuer: "https://id.example.com", webauthnRpId: "example.com" }
    })
  })

  it("an environment name must fit in every resource name", () => {
    expect(() => setupOptions(["--env", "Prod_1"])).toThrow(/lower-case/)
  })

  it("deploy --only takes services by directory or worker name and refuses unknown ones", () => {
    expect(deployOptions(["--dry-run", "--only", "edge,authrim-tokens"])).toEqual({ env: "production", dryRun: true, only: ["edge", "tokens"] })
    expect(() => deployOptions(["--only", "edges"])).toThrow(/--only edges: services are keys, ratelimit, session, identity, tokens, edge/)
  })
})
