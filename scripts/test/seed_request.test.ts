/**
 * The seed file (README "Seed file"): users may carry every OIDC standard claim
 * (issue 12 §4), mapped unchanged onto identity's updateUserProfile patch; a
 * user without any gets no profile call. The round trip through the identity
 * service is checked end to end (services/edge/e2e/code-flow.e2e.test.ts reads
 * the seeded claims back at /userinfo with openid-client).
 */
import path from "node:path"
import { describe, expect, it } from "vitest"
import { readSeedFile, repoRoot, seedRequest } from "../local_stack.ts"

describe("seed file → identity inputs", () => {
  it("demo.json's user carries its standard claims as a profile patch", () => {
    const request = seedRequest(readSeedFile(path.join(repoRoot, "scripts/seed/demo.json")))
    expect(request.users[0]).toMatchObject({
      email: "demo@authrim.local",
      name: "Demo User",
      profile: { given_name: "Demo", locale: "en-US", phone_number: "+14155550100", address: { locality: "San Francisco", region: "CA", country: "US" } }
    })
  })

  it("a client's token_exchange_policy (RFC 8693, migration 0026) maps onto tokenExchangePolicy; absent stays absent", () => {
    const policy = { audiences: ["https://notes.example/api"], delegation: true }
    const request = seedRequest({ clients: [
      { client_id: "worker", redirect_uris: [], grant_types: ["client_credentials", "urn:ietf:params:oauth:grant-type:token-exchange"], token_exchange_policy: policy },
      { client_id: "rp", redirect_uris: ["https://rp.example/cb"] }
    ] })
    expect(request.clients[0]).toMatchObject({ clientId: "worker", tokenExchangePolicy: policy })
    expect(request.clients[1]?.tokenExchangePolicy).toBeUndefined()
  })

  it("a client's resources (RFC 8707, migration 0025) map onto resources; absent stays absent", () => {
    const request = seedRequest({ clients: [
      { client_id: "rp-api", redirect_uris: ["https://rp.example/cb"], resources: ["https://notes.example/api"] },
      { client_id: "rp", redirect_uris: ["https://rp.example/cb"] }
    ] })
    expect(request.clients[0]).toMatchObject({ clientId: "rp-api", resources: ["https://notes.example/api"] })
    expect(request.clients[1]?.resources).toBeUndefined()
  })

  it("a client's subject_type / sector_identifier_uri (OIDC Core §8, migration 0024) map onto subjectType / sectorIdentifierUri", () => {
    const request = seedRequest({ clients: [
      { client_id: "pw", redirect_uris: ["https://a.example/cb", "https://b.example/cb"], subject_type: "pairwise", sector_identifier_uri: "https://a.example/sector.json" },
      { client_id: "rp", redirect_uris: ["https://rp.example/cb"] }
    ] })
    expect(request.clients[0]).toMatchObject({ clientId: "pw", subjectType: "pairwise", sectorIdentifierUri: "https://a.example/sector.json" })
    expect(request.clients[1]?.subjectType).toBeUndefined()
  })

  it("a user with only account fields has no profile; absent claims are left out (not nulled)", () => {
    const request = seedRequest({ users: [{ email: "a@example.com" }, { email: "b@example.com", nickname: "B", phone_number_verified: false }] })
    expect(request.users[0]?.profile).toBeUndefined()
    expect(request.users[1]?.profile).toEqual({ nickname: "B", phone_number_verified: false })
  })

  it("custom fields: definitions (snake_case validation), scope mappings and per-user values map onto the custom-fields contract", () => {
    const request = seedRequest(readSeedFile(path.join(repoRoot, "scripts/seed/demo.json")))
    expect(request.customFields).toEqual([{
      name: "department", type: "string", validation: { maxLength: 64, pattern: undefined, min: undefined, max: undefined, enumValues: undefined },
      labels: { en: "Department", ja: "部署" }, userEditable: true, required: undefined
    }])
    expect(request.scopeMappings).toEqual([{ scope: "profile", claimName: "department", source: { sourceTable: "user_custom_fields", sourceColumn: "department" } }])
    expect(request.users[0]?.customFields).toEqual({ department: "Engineering" })
  })

  it("the branding object maps onto identity's branding patch; demo.json names the product (issue 12 §5)", async () => {
    const { applyBrandingPatch, defaultBranding, InvalidBranding } = await import("../../contracts/src/branding.ts")
    const request = seedRequest(readSeedFile(path.join(repoRoot, "scripts/seed/demo.json")))
    expect(request.branding).toMatchObject({ productName: "Authrim Demo", supportUrl: "https://github.com/authrim" })
    // The demo's values pass the same checks as an admin's PATCH.
    expect(applyBrandingPatch(defaultBranding, JSON.parse(JSON.stringify(request.branding)))).not.toBeInstanceOf(InvalidBranding)
    expect(seedRequest({ branding: { primary_color: null, terms_url: "https://x.example/t" } }).branding).toEqual({
      productName: undefined, logoUrl: undefined, primaryColor: null, primaryColorDark: undefined, backgroundColor: undefined,
      supportUrl: undefined, supportEmail: undefined, privacyPolicyUrl: undefined, termsUrl: "https://x.example/t", footerText: undefined
    })
    expect(seedRequest({}).branding).toBeUndefined()
  })

  it("totp_secret is passed as totpSecret (the worker turns TOTP on with it); absent, no member", () => {
    const request = seedRequest({ users: [{ email: "admin@example.com", totp_secret: "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP" }, { email: "b@example.com" }] })
    expect(request.users[0]).toMatchObject({ totpSecret: "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP" })
    expect(request.users[1]).not.toHaveProperty("totpSecret")
  })
})
