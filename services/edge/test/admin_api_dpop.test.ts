/**
 * The admin API with a DPoP-bound token (RFC 9449 §7), as the console uses
 * it: the DPoP scheme and a fresh proof with `ath`; Bearer use of the bound
 * token, a missing or replayed proof are 401 with a DPoP challenge.
 */
import { describe, expect, it } from "vitest"
import { Browser } from "./support/browser.ts"
import { REDIRECT_URI, seedClient, seedUser } from "./support/fixtures.ts"
import { pkcePair, signIn } from "./support/flows.ts"
import { newDpopKey, proofFor, tokenRequest, type TokenBody } from "./support/dpop_client.ts"
import { adminCall, grantRole, problemOf, signInAdmin } from "./support/admin_flows.ts"

describe("Admin API — DPoP-bound tokens (RFC 9449 §7)", () => {
  it("accepts the DPoP scheme with a proof; refuses Bearer use, a missing proof and a replayed one", async () => {
    const client = await seedClient({ tokenEndpointAuthMethod: "none", skipConsent: true, scope: "openid admin" })
    const user = await seedUser()
    await grantRole(user.id, ["roles:read"])
    const key = await newDpopKey()
    const { verifier, challenge } = await pkcePair()
    const callback = await signIn(new Browser(), client, user, { scope: "openid admin", code_challenge: challenge, code_challenge_method: "S256" })
    const issued = await tokenRequest(client, {
      grant_type: "authorization_code", code: callback.searchParams.get("code")!, redirect_uri: REDIRECT_URI, code_verifier: verifier
    }, await proofFor(key, "POST", "/token"))
    const { access_token: token, token_type } = await issued.json<TokenBody>()
    expect(token_type).toBe("DPoP")

    const path = "/admin/api/v1/roles"
    const proof = await proofFor(key, "GET", path, { accessToken: token })
    expect((await adminCall("/roles", { headers: { authorization: `DPoP ${token}`, dpop: proof } })).status).toBe(200)

    const replayed = await adminCall("/roles", { headers: { authorization: `DPoP ${token}`, dpop: proof } })
    await problemOf(replayed, 401)
    expect(replayed.headers.get("www-authenticate")).toMatch(/^DPoP /)
    const asBearer = await adminCall("/roles", { token })
    await problemOf(asBearer, 401)
    expect(asBearer.headers.get("www-authenticate")).toContain(`error="invalid_token"`)
    await problemOf(await adminCall("/roles", { headers: { authorization: `DPoP ${token}` } }), 401)
    const wrongUrl = await proofFor(key, "GET", "/admin/api/v1/keys", { accessToken: token })
    await problemOf(await adminCall("/roles", { headers: { authorization: `DPoP ${token}`, dpop: wrongUrl } }), 401)
  })

  it("a client set to dpopBoundAccessTokens through the admin API gets no token without a proof (RFC 9449 §5.2)", async () => {
    const { token } = await signInAdmin(["clients:write"])
    const created = await adminCall("/clients", { token, method: "POST", body: {
      clientName: "dpop only", redirectUris: [], grantTypes: ["client_credentials"], tokenEndpointAuthMethod: "client_secret_basic", scope: "profile"
    } })
    const { client, clientSecret } = await created.json<{ client: { clientId: string }; clientSecret: string }>()
    const seeded = { clientId: client.clientId, secret: clientSecret }
    expect((await tokenRequest(seeded, { grant_type: "client_credentials" })).status).toBe(200)
    const patched = await adminCall(`/clients/${client.clientId}`, { token, method: "PATCH", headers: { "if-match": `"1"` }, body: { dpopBoundAccessTokens: true } })
    expect(await patched.json()).toMatchObject({ client: { dpopBoundAccessTokens: true } })
    const bare = await tokenRequest(seeded, { grant_type: "client_credentials" })
    expect([bare.status, (await bare.json<TokenBody>()).error]).toEqual([400, "invalid_dpop_proof"])
    const bound = await tokenRequest(seeded, { grant_type: "client_credentials" }, await proofFor(await newDpopKey(), "POST", "/token"))
    expect((await bound.json<TokenBody>()).token_type).toBe("DPoP")
  })
})
