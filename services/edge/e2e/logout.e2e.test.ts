/**
 * OIDC RP-Initiated Logout 1.0 and Back-Channel Logout 1.0 end to end:
 * openid-client signs in and builds the logout URL, the provider ends the
 * session, and the RP's back-channel endpoint (a Node server here) receives a
 * logout token through the queue — after its first answer, a 500, was retried.
 */
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from "jose"
import * as oidc from "openid-client"
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest"
import { BACKCHANNEL_CLIENT_ID, POST_LOGOUT_REDIRECT_URI, startBackchannelReceiver } from "./backchannel_rp.ts"
import { issuer, redeem, redirectUri, rpFor, signIn } from "./rp.ts"

const BACKCHANNEL_EVENT = "http://schemas.openid.net/event/backchannel-logout"

let receiver: Awaited<ReturnType<typeof startBackchannelReceiver>>

beforeAll(async () => {
  // The RP fails the first delivery: the provider must retry through the queue.
  receiver = await startBackchannelReceiver(inject("backchannelPort"), [500, 200])
})
afterAll(() => receiver.stop())

describe("RP-Initiated Logout 1.0 + Back-Channel Logout 1.0 — openid-client", () => {
  it("logs out via buildEndSessionUrl, returns with state, ends the session, and delivers a retried logout token", async () => {
    const config = await rpFor(BACKCHANNEL_CLIENT_ID)
    expect(config.serverMetadata().end_session_endpoint).toBe(`${issuer()}/end_session`)
    expect(config.serverMetadata().backchannel_logout_supported).toBe(true)
    const flow = await signIn(config)
    const tokens = await redeem(config, flow)
    const idClaims = tokens.claims()!

    const logoutUrl = oidc.buildEndSessionUrl(config, {
      id_token_hint: tokens.id_token!,
      post_logout_redirect_uri: POST_LOGOUT_REDIRECT_URI,
      state: "logout-state-1"
    })
    const response = await flow.browser.request(logoutUrl.toString())
    expect(response.status).toBe(303)
    expect(response.headers.get("location")).toBe(`${POST_LOGOUT_REDIRECT_URI}?state=logout-state-1`)

    // The session is gone: a silent authorization now needs a login.
    const silent = await flow.browser.authorize(oidc.buildAuthorizationUrl(config, {
      redirect_uri: redirectUri, scope: "openid", prompt: "none",
      code_challenge: await oidc.calculatePKCECodeChallenge(oidc.randomPKCECodeVerifier()), code_challenge_method: "S256"
    }).toString())
    expect(silent.url.searchParams.get("error")).toBe("login_required")

    // Back-channel: first attempt answered 500, the retry (5 s backoff) answered 200.
    const delivery = await receiver.delivered(45_000)
    expect(receiver.received.length).toBeGreaterThanOrEqual(2)
    expect(receiver.received[0]!.answered).toBe(500)
    for (const attempt of receiver.received) {
      expect(attempt.contentType).toBe("application/x-www-form-urlencoded")
      expect([...attempt.body.keys()]).toEqual(["logout_token"])
    }
    const logoutToken = delivery.body.get("logout_token")!
    const jwks = createRemoteJWKSet(new URL(config.serverMetadata().jwks_uri!))
    const { payload, protectedHeader } = await jwtVerify(logoutToken, jwks, { issuer: issuer(), audience: BACKCHANNEL_CLIENT_ID, typ: "logout+jwt" })
    expect(protectedHeader.alg).toBe(decodeProtectedHeader(tokens.id_token!).alg)
    expect(payload.sub).toBe(idClaims.sub)
    expect(payload.sid).toBe(idClaims.sid)
    expect(payload.events).toEqual({ [BACKCHANNEL_EVENT]: {} })
    expect(payload).not.toHaveProperty("nonce")
    expect(typeof payload.jti).toBe("string")
    expect(payload.exp! - payload.iat!).toBeLessThanOrEqual(120)
    // Each attempt carries a freshly signed token.
    expect(receiver.received[0]!.body.get("logout_token")).not.toBe(logoutToken)
  })

  it("an unregistered post_logout_redirect_uri gets a page, not a redirect", async () => {
    const config = await rpFor(BACKCHANNEL_CLIENT_ID)
    const flow = await signIn(config)
    const tokens = await redeem(config, flow)
    const url = oidc.buildEndSessionUrl(config, { id_token_hint: tokens.id_token!, post_logout_redirect_uri: "https://evil.example/", state: "s" })
    const response = await flow.browser.request(url.toString())
    expect(response.status).toBe(400)
    expect(response.headers.get("location")).toBeNull()
  })
})
