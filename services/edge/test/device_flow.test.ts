import { describe, expect, it } from "vitest"
import { Browser, parseForm } from "./support/browser.ts"
import { seedClient, seedUser, type SeededClient, type SeededUser } from "./support/fixtures.ts"
import { jwtPayload, postForm, submitLoginForm } from "./support/flows.ts"

const DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code"

interface DeviceAuthorizationResponse {
  device_code: string
  user_code: string
  verification_uri: string
  verification_uri_complete: string
  expires_in: number
  interval: number
}

/** A public TV-style client registered for the device grant (and refresh tokens). */
const seedDeviceClient = (grantTypes = [DEVICE_GRANT, "refresh_token"]) =>
  seedClient({ tokenEndpointAuthMethod: "none", grantTypes })

const startDevice = async (client: SeededClient, fields: Record<string, string> = { scope: "openid profile" }) => {
  const response = await postForm("/device_authorization", { client_id: client.clientId, ...fields })
  expect(response.status).toBe(200)
  expect(response.headers.get("cache-control")).toBe("no-store")
  return response.json<DeviceAuthorizationResponse>()
}

const poll = (client: SeededClient, deviceCode: string) =>
  postForm("/token", { grant_type: DEVICE_GRANT, device_code: deviceCode, client_id: client.clientId })

const errorOf = async (response: Response) => (await response.json<{ error: string }>()).error

/** A signed-in browser for `user` (via the account page). */
const signedInBrowser = async (user: SeededUser) => {
  const browser = new Browser()
  const login = await browser.follow(await browser.request("/account"))
  await browser.follow(await submitLoginForm(browser, login, user))
  return browser
}

/** Opens the verification page for `userCode` in a signed-in browser and returns the approve/deny form. */
const confirmForm = async (browser: Browser, path: string) => {
  const page = await browser.request(path)
  expect(page.status).toBe(200)
  const form = parseForm(await page.text())!
  expect(form.buttons.map((b) => b.value)).toEqual(["approve", "deny"])
  return form
}

const decide = (browser: Browser, form: NonNullable<ReturnType<typeof parseForm>>, decision: "approve" | "deny") =>
  browser.post(form.action, { ...form.fields, decision })

describe("device authorization endpoint — RFC 8628 §3.1–3.2", () => {
  it("answers both codes, the verification URIs, 15 minutes and a 5 s interval", async () => {
    const client = await seedDeviceClient()
    const auth = await startDevice(client)
    expect(auth.user_code).toMatch(/^[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}$/)
    expect(auth.verification_uri).toBe("https://op.test/device")
    expect(auth.verification_uri_complete).toBe(`https://op.test/device?user_code=${auth.user_code}`)
    expect(auth).toMatchObject({ expires_in: 900, interval: 5 })
  })

  it("refuses a client not registered for the grant, an unknown client and a scope of which nothing can be granted", async () => {
    const codeOnly = await seedClient({ tokenEndpointAuthMethod: "none" })
    const refused = await postForm("/device_authorization", { client_id: codeOnly.clientId, scope: "openid" })
    expect(refused.status).toBe(400)
    expect(await errorOf(refused)).toBe("unauthorized_client")
    const unknown = await postForm("/device_authorization", { client_id: "no-such-client", scope: "openid" })
    expect(await errorOf(unknown)).toBe("invalid_client")
    const client = await seedDeviceClient()
    expect(await errorOf(await postForm("/device_authorization", { client_id: client.clientId, scope: "admin" }))).toBe("invalid_scope")
  })

  it("a confidential client authenticates with its secret", async () => {
    const client = await seedClient({ grantTypes: [DEVICE_GRANT] })
    const withSecret = await postForm("/device_authorization", { scope: "openid" }, client)
    expect(withSecret.status).toBe(200)
    const withoutSecret = await postForm("/device_authorization", { client_id: client.clientId, scope: "openid" })
    expect(await errorOf(withoutSecret)).toBe("invalid_client")
  })

  it("discovery advertises the endpoint and the grant type", async () => {
    const meta = await (await new Browser().request("/.well-known/openid-configuration")).json<Record<string, unknown>>()
    expect(meta.device_authorization_endpoint).toBe("https://op.test/device_authorization")
    expect(meta.grant_types_supported).toContain(DEVICE_GRANT)
  })
})

describe("device flow end to end — RFC 8628 §3.3–3.5", () => {
  it("sign in from the verification link, approve, and the device gets its tokens exactly once", async () => {
    const client = await seedDeviceClient()
    const user = await seedUser()
    // offline_access: the device gets a refresh token (issue 9 §2, OIDC Core §11).
    const auth = await startDevice(client, { scope: "openid profile offline_access" })
    expect(await errorOf(await poll(client, auth.device_code))).toBe("authorization_pending")

    // The user opens verification_uri_complete on a phone: sign-in first, then back with the code.
    const browser = new Browser()
    const start = await browser.request(auth.verification_uri_complete)
    expect(start.status).toBe(303)
    expect(start.headers.get("location")).toMatch(/^\/login\?tx=/)
    const back = await submitLoginForm(browser, await browser.follow(start), user)
    expect(back.headers.get("location")).toBe(`/device?user_code=${auth.user_code}`)
    const form = await confirmForm(browser, back.headers.get("location")!)
    const done = await decide(browser, form, "approve")
    expect(done.status).toBe(200)
    expect(await done.text()).toContain("Device connected")

    const granted = await poll(client, auth.device_code)
    expect(granted.status).toBe(200)
    const tokens = await granted.json<{ access_token: string; id_token: string; refresh_token: string; scope: string; token_type: string }>()
    expect(tokens).toMatchObject({ scope: "openid profile offline_access", token_type: "Bearer" })
    expect(jwtPayload(tokens.id_token)).toMatchObject({ sub: user.id, aud: client.clientId, amr: ["pwd"] })
    expect(tokens.refresh_token).toBeTruthy()
    const userinfo = await new Browser().request("/userinfo", { headers: { authorization: `Bearer ${tokens.access_token}` } })
    expect((await userinfo.json<{ sub: string }>()).sub).toBe(user.id)

    expect(await errorOf(await poll(client, auth.device_code))).toBe("invalid_grant")
  })

  it("the code may be typed in lower case and without the dash", async () => {
    const client = await seedDeviceClient()
    const browser = await signedInBrowser(await seedUser())
    const auth = await startDevice(client)
    const entry = await browser.request("/device")
    expect(parseForm(await entry.text())?.fields).toHaveProperty("user_code")
    const typed = auth.user_code.replace("-", "").toLowerCase()
    const page = await browser.request(`/device?user_code=${typed}`)
    expect(await page.text()).toContain(auth.user_code)
  })

  it("an unknown code is refused on the page", async () => {
    const browser = await signedInBrowser(await seedUser())
    const page = await browser.request("/device?user_code=BCDF-GHJK")
    expect(page.status).toBe(400)
    expect(await page.text()).toContain("not valid or has expired")
  })

  it("deny → access_denied to the device", async () => {
    const client = await seedDeviceClient()
    const browser = await signedInBrowser(await seedUser())
    const auth = await startDevice(client)
    const done = await decide(browser, await confirmForm(browser, auth.verification_uri_complete), "deny")
    expect(await done.text()).toContain("denied")
    expect(await errorOf(await poll(client, auth.device_code))).toBe("access_denied")
  })

  it("the approve form is single use and CSRF-checked", async () => {
    const client = await seedDeviceClient()
    const browser = await signedInBrowser(await seedUser())
    const auth = await startDevice(client)
    const form = await confirmForm(browser, auth.verification_uri_complete)
    const forged = await browser.post(form.action, { ...form.fields, csrf: "x".repeat(43), decision: "approve" })
    expect(forged.status).toBe(400)
    expect(await errorOf(await poll(client, auth.device_code))).toBe("authorization_pending")
    expect((await decide(browser, form, "approve")).status).toBe(200)
    expect((await decide(browser, form, "approve")).status).toBe(400)
  })

  it("polling faster than the interval → slow_down", async () => {
    const client = await seedDeviceClient()
    const auth = await startDevice(client)
    expect(await errorOf(await poll(client, auth.device_code))).toBe("authorization_pending")
    const tooFast = await poll(client, auth.device_code)
    expect(tooFast.status).toBe(400)
    expect(await errorOf(tooFast)).toBe("slow_down")
  })

  it("a flood of polls on one device code is refused by the devicePoll rate limit (slow_down)", async () => {
    const client = await seedDeviceClient()
    const browser = await signedInBrowser(await seedUser())
    const auth = await startDevice(client)
    for (let i = 0; i < 12; i++) await poll(client, auth.device_code)
    await decide(browser, await confirmForm(browser, auth.verification_uri_complete), "approve")
    // Approved, but the 13th poll within the minute is over the policy: still slow_down, tokens not spent.
    expect(await errorOf(await poll(client, auth.device_code))).toBe("slow_down")
  })

  it("a client without refresh_token gets no refresh token; another client cannot redeem the code", async () => {
    const client = await seedDeviceClient([DEVICE_GRANT])
    const other = await seedDeviceClient()
    const browser = await signedInBrowser(await seedUser())
    const auth = await startDevice(client, { scope: "openid" })
    await decide(browser, await confirmForm(browser, auth.verification_uri_complete), "approve")
    expect(await errorOf(await poll(other, auth.device_code))).toBe("invalid_grant")
    const tokens = await (await poll(client, auth.device_code)).json<Record<string, unknown>>()
    expect(tokens.access_token).toBeTruthy()
    expect(tokens.refresh_token).toBeUndefined()
  })
})

describe("device flow races — exactly one winner", () => {
  it("20 concurrent approvals of one user code (20 forms): exactly one is accepted", async () => {
    const client = await seedDeviceClient()
    const browser = await signedInBrowser(await seedUser())
    const auth = await startDevice(client)
    const forms = await Promise.all(Array.from({ length: 20 }, () => confirmForm(browser, auth.verification_uri_complete)))
    const results = await Promise.all(forms.map((form) => decide(browser, form, "approve")))
    expect(results.filter((r) => r.status === 200)).toHaveLength(1)
    expect(results.filter((r) => r.status === 400)).toHaveLength(19)
  })

  it("20 concurrent polls after approval: exactly one gets tokens", async () => {
    const client = await seedDeviceClient()
    const browser = await signedInBrowser(await seedUser())
    const auth = await startDevice(client)
    await decide(browser, await confirmForm(browser, auth.verification_uri_complete), "approve")
    const results = await Promise.all(Array.from({ length: 20 }, () => poll(client, auth.device_code)))
    expect(results.filter((r) => r.status === 200)).toHaveLength(1)
    // Losers: the spent code (invalid_grant), or — past the 12-per-minute devicePoll policy — slow_down.
    const errors = await Promise.all(results.filter((r) => r.status !== 200).map(errorOf))
    expect(errors).toHaveLength(19)
    expect(errors.filter((e) => e !== "invalid_grant" && e !== "slow_down")).toEqual([])
    expect(errors).toContain("invalid_grant")
  })
})

