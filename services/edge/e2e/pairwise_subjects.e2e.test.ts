/**
 * Pairwise subject identifiers (OIDC Core §8.1) end to end with openid-client
 * against a real `wrangler dev`: the seeded client `e2e-pairwise` (subject_type
 * pairwise, one redirect host, so no sector identifier document) sees its own
 * `sub` for Alice — not the one `e2e-basic` (public) sees — the same on every
 * sign-in and after a refresh; openid-client checks /userinfo's `sub` against
 * the ID token's; introspection says the same `sub`; the pairwise ID token is a
 * good `id_token_hint` at the end-session endpoint.
 */
import * as oidc from "openid-client"
import { describe, expect, it } from "vitest"
import fixtures from "./fixtures.json" with { type: "json" }
import { issuer, redeem, redirectUri, rpFor, signIn } from "./rp.ts"

const CLIENT_ID = "e2e-pairwise"
const secret = fixtures.clients.find((c) => c.client_id === CLIENT_ID)?.client_secret ?? ""

const pairwiseRp = () =>
  oidc.discovery(new URL(issuer()), CLIENT_ID, undefined, oidc.ClientSecretBasic(secret), { execute: [oidc.allowInsecureRequests] })

describe("Pairwise subjects — openid-client", () => {
  it("discovery lists pairwise; the pairwise sub is stable, differs from the public one and survives a refresh", async () => {
    const config = await pairwiseRp()
    expect(config.serverMetadata().subject_types_supported).toEqual(["public", "pairwise"])
    const first = await redeem(config, await signIn(config))
    const sub = first.claims()!.sub
    const again = await redeem(config, await signIn(config))
    expect(again.claims()!.sub).toBe(sub)

    const publicRp = await rpFor("e2e-basic")
    const publicSub = (await redeem(publicRp, await signIn(publicRp))).claims()!.sub
    expect(sub).not.toBe(publicSub)
    expect(sub).toMatch(/^[A-Za-z0-9_-]{43}$/)

    const refreshed = await oidc.refreshTokenGrant(config, first.refresh_token!)
    expect(refreshed.claims()!.sub).toBe(sub)
  })

  it("/userinfo answers the pairwise sub (openid-client checks it) with Alice's claims; introspection says the same sub", async () => {
    const config = await pairwiseRp()
    const tokens = await redeem(config, await signIn(config))
    const sub = tokens.claims()!.sub
    const userinfo = await oidc.fetchUserInfo(config, tokens.access_token, sub)
    expect(userinfo.sub).toBe(sub)
    expect(userinfo.email).toBe(fixtures.users[0]!.email)
    const introspection = await oidc.tokenIntrospection(config, tokens.access_token)
    expect(introspection).toMatchObject({ active: true, sub, client_id: CLIENT_ID })
    const refresh = await oidc.tokenIntrospection(config, tokens.refresh_token!)
    expect(refresh).toMatchObject({ active: true, sub })
  })

  it("the pairwise ID token is a good id_token_hint: logout at once, back to the registered URI, the session gone", async () => {
    const config = await pairwiseRp()
    const flow = await signIn(config)
    const tokens = await redeem(config, flow)
    const logoutUrl = oidc.buildEndSessionUrl(config, {
      id_token_hint: tokens.id_token!, post_logout_redirect_uri: "http://127.0.0.1:9999/logged-out", state: "pw-logout"
    })
    const response = await flow.browser.request(logoutUrl.toString())
    expect(response.status).toBe(303)
    expect(response.headers.get("location")).toBe("http://127.0.0.1:9999/logged-out?state=pw-logout")
    const silent = await flow.browser.authorize(oidc.buildAuthorizationUrl(config, {
      redirect_uri: redirectUri, scope: "openid", prompt: "none",
      code_challenge: await oidc.calculatePKCECodeChallenge(oidc.randomPKCECodeVerifier()), code_challenge_method: "S256"
    }).toString())
    expect(silent.url.searchParams.get("error")).toBe("login_required")
  })
})
