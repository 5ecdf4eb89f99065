/**
 * Every endpoint that authenticates a client or looks something up by a
 * guessable value is rate limited (issue 9 §4): `/revoke`, `/introspect`,
 * `/par`, `/device_authorization` per IP and per client; device user-code entry per IP and per
 * browser (RFC 8628 §5.1); `/login/passkey` per IP. Lookups by email answer
 * the same for known and unknown addresses, and the email forms do their
 * identity work after responding.
 */
import { env } from "cloudflare:workers"
import { describe, expect, it } from "vitest"
import worker from "../src/index.ts"
import { Browser, parseForm } from "./support/browser.ts"
import { latestMailedLink, requestMagicLink, requestPasswordReset, startLogin } from "./support/email_flows.ts"
import { seedClient, seedUser, type SeededClient, type SeededUser } from "./support/fixtures.ts"
import { authorizeUrl, basicAuth, submitLoginForm } from "./support/flows.ts"
import { embeddedOptions, openPasskeyPage, registerPasskey } from "./support/passkey_flows.ts"
import { SoftwareAuthenticator } from "./support/software_authenticator.ts"

type IncomingRequest = Parameters<typeof worker.fetch>[0]
type Policies = Record<string, { limit: number; windowSeconds: number }>

/** A fresh client IP per call: counters outlive a test file. */
const freshIp = () => `2001:db8:7::${crypto.randomUUID().slice(0, 4)}:${crypto.randomUUID().slice(0, 4)}`

/** The edge with `RATE_LIMIT_POLICIES` set to `policies`. */
const edgeWith = (policies: Policies) => (request: Request) =>
  worker.fetch(request as IncomingRequest, { ...env, RATE_LIMIT_POLICIES: JSON.stringify(policies) })

const expectRateLimited = (response: Response, limit: number) => {
  expect(response.status).toBe(429)
  expect(Number(response.headers.get("retry-after"))).toBeGreaterThanOrEqual(1)
  expect(response.headers.get("ratelimit-limit")).toBe(String(limit))
  expect(response.headers.get("ratelimit-remaining")).toBe("0")
}

const expectOAuth429 = async (response: Response, limit: number) => {
  expectRateLimited(response, limit)
  expect(await response.json()).toEqual({ error: "temporarily_unavailable", error_description: "too many requests, retry later" })
}

/** A client-authenticated POST to `path` from `ip`. */
const clientPost = (path: string, client: SeededClient, fields: Record<string, string>, ip: string) =>
  new Request(`https://op.test${path}`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", "cf-connecting-ip": ip, authorization: basicAuth(client.clientId, client.secret!) },
    body: new URLSearchParams(fields).toString()
  })

const endpoints = [
  { path: "/revoke", fields: { token: "not-a-token" }, ok: 200 },
  { path: "/introspect", fields: { token: "not-a-token" }, ok: 200 },
  { path: "/par", fields: { response_type: "code", redirect_uri: "https://rp.test/cb", scope: "openid", code_challenge: "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM", code_challenge_method: "S256" }, ok: 201 },
  { path: "/device_authorization", fields: { scope: "openid" }, ok: 200 }
] as const

/** A client that may use every endpoint above (the device grant for `/device_authorization`). */
const seedEndpointClient = () =>
  seedClient({ grantTypes: ["authorization_code", "refresh_token", "urn:ietf:params:oauth:grant-type:device_code"] })

describe("Client-authenticating endpoints per IP and per client (issue 9 §4)", () => {
  it.each(endpoints)("$path: past the per-IP limit → 429 temporarily_unavailable with Retry-After; another IP is unaffected", async ({ path, fields, ok }) => {
    const fetchEdge = edgeWith({ clientEndpointsPerIp: { limit: 2, windowSeconds: 60 } })
    const client = await seedEndpointClient()
    const ip = freshIp()
    for (let i = 0; i < 2; i++) expect((await fetchEdge(clientPost(path, client, fields, ip))).status).toBe(ok)
    const refused = await fetchEdge(clientPost(path, client, fields, ip))
    await expectOAuth429(refused, 2)
    expect(refused.headers.get("cache-control")).toBe("no-store")
    expect((await fetchEdge(clientPost(path, client, fields, freshIp()))).status).toBe(ok)
  })

  it.each(endpoints)("$path: past the per-client limit from many IPs → 429, even with a wrong secret; another client is unaffected", async ({ path, fields, ok }) => {
    const fetchEdge = edgeWith({ clientEndpointsPerClient: { limit: 3, windowSeconds: 60 } })
    const client = await seedEndpointClient()
    const guesser = { ...client, secret: "wrong-secret-wrong-secret-wrong-secret" }
    for (let i = 0; i < 3; i++) expect((await fetchEdge(clientPost(path, guesser, fields, freshIp()))).status).toBe(401)
    await expectOAuth429(await fetchEdge(clientPost(path, client, fields, freshIp())), 3)
    expect((await fetchEdge(clientPost(path, await seedEndpointClient(), fields, freshIp()))).status).toBe(ok)
  })

  it("refusals of /revoke and /par carry CORS headers like their answers", async () => {
    const fetchEdge = edgeWith({ clientEndpointsPerIp: { limit: 1, windowSeconds: 60 } })
    const client = await seedClient()
    for (const { path, fields } of endpoints.filter((e) => e.path === "/revoke" || e.path === "/par")) {
      const ip = freshIp()
      await fetchEdge(clientPost(path, client, fields, ip))
      const refused = await fetchEdge(clientPost(path, client, fields, ip))
      expect(refused.status).toBe(429)
      expect(refused.headers.get("access-control-allow-origin")).toBe("*")
    }
  })
})

/** A browser signed in as `user` through `fetchEdge`, sending `ip` on every request. */
const signedInBrowser = async (user: SeededUser, fetchEdge: (request: Request) => Promise<Response>, ip: string) => {
  const browser = new Browser((request) => {
    request.headers.set("cf-connecting-ip", ip)
    return fetchEdge(request)
  })
  const login = await browser.follow(await browser.request("/account"))
  expect((await submitLoginForm(browser, login, user)).status).toBe(303)
  return browser
}

describe("Device user-code entry per IP and per browser — RFC 8628 §5.1 (issue 9 §4)", () => {
  it("wrong codes count per browser: past the limit a 429 page with Retry-After; another browser on another IP is unaffected", async () => {
    const fetchEdge = edgeWith({ deviceCodeEntryPerBrowser: { limit: 2, windowSeconds: 900 } })
    const browser = await signedInBrowser(await seedUser(), fetchEdge, freshIp())
    for (const code of ["BCDF-GHJK", "LMNP-QRST"]) {
      const wrong = await browser.request(`/device?user_code=${code}`)
      expect(wrong.status).toBe(400)
      expect(await wrong.text()).toContain("not valid")
    }
    const refused = await browser.request("/device?user_code=VWXZ-BCDF")
    expectRateLimited(refused, 2)
    expect(refused.headers.get("content-type")).toContain("text/html")
    expect(await refused.text()).toContain("Too many requests")
    const other = await signedInBrowser(await seedUser(), fetchEdge, freshIp())
    expect((await other.request("/device?user_code=BCDF-GHJK")).status).toBe(400)
  })

  it("codes count per IP whatever the browser: a second signed-in browser on the same IP is refused past the limit", async () => {
    const fetchEdge = edgeWith({ deviceCodeEntryPerIp: { limit: 2, windowSeconds: 900 } })
    const ip = freshIp()
    const first = await signedInBrowser(await seedUser(), fetchEdge, ip)
    const second = await signedInBrowser(await seedUser(), fetchEdge, ip)
    expect((await first.request("/device?user_code=BCDF-GHJK")).status).toBe(400)
    expect((await second.request("/device?user_code=BCDF-GHJK")).status).toBe(400)
    expectRateLimited(await second.request("/device?user_code=LMNP-QRST"), 2)
    // The bare entry form (no code) is not a guess: it is still served.
    expect((await second.request("/device")).status).toBe(200)
  })
})

/** The passkey page with everything random per response (tx, csrf, challenge, ids, nonces) and the email itself masked. */
const passkeyPageShape = (html: string, email: string) =>
  html.replaceAll(email, "EMAIL").replaceAll(encodeURIComponent(email), "EMAIL").replace(/[A-Za-z0-9_-]{16,}/g, "RANDOM")

describe("/login/passkey (issue 9 §4)", () => {
  it("email-first answers the same page for an unknown email, a known one without passkeys and one with passkeys", async () => {
    const client = await seedClient()
    const withPasskeys = await seedUser()
    await registerPasskey(withPasskeys.id, new SoftwareAuthenticator())
    const withoutPasskeys = await seedUser()
    const unknown = `nobody-${crypto.randomUUID()}@example.test`
    const shapes = []
    for (const email of [unknown, withoutPasskeys.email, withPasskeys.email]) {
      const html = await openPasskeyPage(new Browser(), client.clientId, email)
      expect(embeddedOptions(html).allowCredentials).toEqual([])
      shapes.push(passkeyPageShape(html, email))
    }
    expect(shapes[1]).toBe(shapes[0])
    expect(shapes[2]).toBe(shapes[0])
  })

  it("per client IP: past the limit GET and POST answer a 429 page with Retry-After", async () => {
    const fetchEdge = edgeWith({ passkeyLoginPerIp: { limit: 2, windowSeconds: 300 } })
    const ip = freshIp()
    const browser = new Browser((request) => {
      request.headers.set("cf-connecting-ip", ip)
      return fetchEdge(request)
    })
    const loginPage = await browser.follow(await browser.request(authorizeUrl((await seedClient()).clientId)))
    const path = /href="(\/login\/passkey\?tx=[^"]+)"/.exec(await loginPage.text())![1]!.replaceAll("&amp;", "&")
    const page = await browser.request(path)
    expect(page.status).toBe(200)
    const form = parseForm(await page.text())!
    expect((await browser.post("/login/passkey", { ...form.fields, credential: "{}" })).status).toBe(400)
    const refusedGet = await browser.request(path)
    expectRateLimited(refusedGet, 2)
    expect(refusedGet.headers.get("content-type")).toContain("text/html")
    expectRateLimited(await browser.post("/login/passkey", { ...form.fields, credential: "{}" }), 2)
  })
})

/**
 * `POST` of the form in `html` by `browser`, through the worker with an execution context that
 * records what is left for after the response (and whether it had finished when the response came).
 */
const postWithContext = async (browser: Browser, html: string, email: string) => {
  const form = parseForm(html)!
  const deferred: Array<{ work: Promise<unknown>; settled: boolean }> = []
  // The edge uses only `waitUntil` of its execution context (src/index.ts).
  const execution = {
    waitUntil(work: Promise<unknown>) {
      const entry = { work, settled: false }
      deferred.push(entry)
      void work.finally(() => (entry.settled = true))
    }
  }
  const response = await worker.fetch(new Request(`https://op.test${form.action}`, {
    method: "POST",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      cookie: [...browser.cookies].map(([k, v]) => `${k}=${v}`).join("; ")
    },
    body: new URLSearchParams({ ...form.fields, email }).toString()
  }) as IncomingRequest, env, execution)
  const unsettledAtResponse = deferred.filter((d) => !d.settled).length
  return { response, deferred, unsettledAtResponse }
}

describe("Email forms answer before looking the address up (issue 9 §4: same response, same timing)", () => {
  it("/password/forgot: the answer is sent before identity is asked; the reset link is mailed after (waitUntil)", async () => {
    const user = await seedUser()
    const browser = new Browser()
    const { response, deferred, unsettledAtResponse } = await postWithContext(browser, await (await browser.request("/password/forgot")).text(), user.email)
    expect(response.status).toBe(200)
    expect(await response.text()).toContain("Check your email")
    // The lookup and the mail were handed to waitUntil and had not finished when the answer was ready.
    expect(deferred).toHaveLength(1)
    expect(unsettledAtResponse).toBe(1)
    await Promise.all(deferred.map((d) => d.work))
    expect(await latestMailedLink(user.email, 0)).toContain("/password/reset?token=")
  })

  it("/login/email: the answer is sent before identity is asked; the sign-in link is mailed after (waitUntil)", async () => {
    const client = await seedClient()
    const user = await seedUser()
    const browser = new Browser()
    const login = await startLogin(browser, client.clientId)
    const { response, deferred, unsettledAtResponse } = await postWithContext(browser, await (await browser.request(`/login/email?tx=${encodeURIComponent(login.tx)}`)).text(), user.email)
    expect(response.status).toBe(200)
    expect(deferred).toHaveLength(1)
    expect(unsettledAtResponse).toBe(1)
    await Promise.all(deferred.map((d) => d.work))
    expect(await latestMailedLink(user.email, 0)).toContain("/login/email/verify?token=")
  })

  it("both answer byte-identical bodies and the same status for a known and an unknown address", async () => {
    const client = await seedClient()
    const user = await seedUser()
    const unknown = `nobody-${crypto.randomUUID()}@example.test`
    const forgot = await Promise.all([user.email, unknown].map(async (email) => {
      const response = await requestPasswordReset(new Browser(), email)
      return [response.status, await response.text()] as const
    }))
    expect(forgot[1]).toEqual(forgot[0])
    const browser = new Browser()
    const login = await startLogin(browser, client.clientId)
    const links = []
    for (const email of [user.email, unknown]) {
      const response = await requestMagicLink(browser, login.tx, email)
      links.push([response.status, await response.text()] as const)
    }
    expect(links[1]).toEqual(links[0])
  })

  it("past the per-IP email limit both forms answer 429 with Retry-After", async () => {
    const fetchEdge = edgeWith({ emailPerIp: { limit: 1, windowSeconds: 900 } })
    const ip = freshIp()
    const browser = new Browser((request) => {
      request.headers.set("cf-connecting-ip", ip)
      return fetchEdge(request)
    })
    const forgot = async () => {
      const form = parseForm(await (await browser.request("/password/forgot")).text())!
      return browser.post(form.action, { ...form.fields, email: `x-${crypto.randomUUID()}@example.test` })
    }
    expect((await forgot()).status).toBe(200)
    const refused = await forgot()
    expect(refused.status).toBe(429)
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThanOrEqual(1)
    const login = await startLogin(browser, (await seedClient()).clientId)
    const link = await requestMagicLink(browser, login.tx, `y-${crypto.randomUUID()}@example.test`)
    expect(link.status).toBe(429)
    expect(Number(link.headers.get("retry-after"))).toBeGreaterThanOrEqual(1)
  })
})
