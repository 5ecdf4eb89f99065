/**
 * Avatars through the edge (issue 12 §4): upload from the account page
 * (multipart, CSRF, a cap on the body), the `picture` claim pointing at an
 * immutable URL, serving with a year of caching, a strong ETag and 304, and
 * the ugly inputs (oversized, a script declared as an image, no CSRF, no
 * session, malformed names).
 */
import { env } from "cloudflare:workers"
import { describe, expect, it } from "vitest"
import { Browser } from "./support/browser.ts"
import { seedUser } from "./support/fixtures.ts"
import { submitLoginForm } from "./support/flows.ts"

const png = (seed: number) => new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, seed & 255, (seed >> 8) & 255])

/** A browser signed in to /account, and the page's CSRF token. */
const signedIn = async () => {
  const user = await seedUser()
  const browser = new Browser()
  const back = await submitLoginForm(browser, await browser.follow(await browser.request("/account")), user)
  expect(back.headers.get("location")).toBe("/account")
  const html = await (await browser.request("/account")).text()
  const csrf = /name="csrf" value="([^"]+)"/.exec(html)?.[1] ?? ""
  expect(csrf).not.toBe("")
  return { user, browser, csrf }
}

const upload = (browser: Browser, fields: Record<string, string | Blob>) => {
  const form = new FormData()
  for (const [name, value] of Object.entries(fields)) form.set(name, value)
  return browser.request("/account/avatar", { method: "POST", body: form })
}

const pictureOf = async (userId: string): Promise<string | null> => {
  const result = await env.IDENTITY.getUser({ userId })
  if (result._tag !== "Success") throw new Error("getUser failed")
  return result.value.picture
}

describe("avatars through the edge", () => {
  it("upload → picture claim → served immutable with ETag and 304; replace and remove retire the old URL", async () => {
    const { user, browser, csrf } = await signedIn()
    const uploaded = await upload(browser, { csrf, action: "upload", avatar: new File([png(1)], "me.png", { type: "image/png" }) })
    expect(uploaded.status).toBe(303)
    expect(uploaded.headers.get("location")).toBe("/account")
    const picture = await pictureOf(user.id)
    expect(picture).toMatch(/^https:\/\/op\.test\/avatars\/[0-9a-f]{64}\.png$/)
    const claims = await env.IDENTITY.getUserClaims({ userId: user.id, scopes: ["openid", "profile"] })
    expect(claims._tag === "Success" && claims.value["picture"]).toBe(picture)

    const account = await (await browser.request("/account")).text()
    expect(account).toContain(`<img class="avatar" src="${picture!.replaceAll("/", "&#x2F;")}"`)
    expect(account).toContain(`action="/account/avatar" enctype="multipart/form-data"`)
    expect(account).toMatch(/<label for="avatar">[^<]+<\/label><input id="avatar" name="avatar" type="file"/)
    const path = new URL(picture!).pathname
    const served = await new Browser().request(path)
    expect(served.status).toBe(200)
    expect(served.headers.get("content-type")).toBe("image/png")
    expect(served.headers.get("cache-control")).toBe("public, max-age=31536000, immutable")
    expect(served.headers.get("x-content-type-options")).toBe("nosniff")
    const etag = served.headers.get("etag")
    expect(etag).toMatch(/^"[0-9a-f]{64}"$/)
    expect(new Uint8Array(await served.arrayBuffer())).toEqual(png(1))
    const again = await new Browser().request(path, { headers: { "if-none-match": etag! } })
    expect(again.status).toBe(304)
    expect(await again.text()).toBe("")
    const head = await new Browser().request(path, { method: "HEAD" })
    expect(head.status).toBe(200)

    await upload(browser, { csrf, action: "upload", avatar: new File([png(2)], "new.png", { type: "image/png" }) })
    const replaced = await pictureOf(user.id)
    expect(replaced).not.toBe(picture)
    expect((await new Browser().request(path)).status).toBe(404)
    expect((await upload(browser, { csrf, action: "remove" })).status).toBe(303)
    expect(await pictureOf(user.id)).toBeNull()
    expect((await new Browser().request(new URL(replaced!).pathname)).status).toBe(404)
  })

  it("refuses an oversized body (413), a script declared as PNG (415), an empty file (400) — picture unchanged", async () => {
    const { user, browser, csrf } = await signedIn()
    const big = new Uint8Array(5 * 1024 * 1024 + 1)
    big.set(png(3))
    const tooLarge = await upload(browser, { csrf, action: "upload", avatar: new File([big], "big.png", { type: "image/png" }) })
    expect(tooLarge.status).toBe(413)
    expect(await tooLarge.text()).toContain("larger than 5 MB")
    const form = new FormData()
    form.set("csrf", csrf)
    form.set("avatar", new File([big], "big.png"))
    const japanese = await browser.request("/account/avatar", { method: "POST", body: form, headers: { "accept-language": "ja,en;q=0.5" } })
    expect(japanese.status).toBe(413)
    expect(await japanese.text()).toContain("画像が 5 MB を超えています")
    const svg = new File(["<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>"], "x.png", { type: "image/png" })
    expect((await upload(browser, { csrf, action: "upload", avatar: svg })).status).toBe(415)
    expect((await upload(browser, { csrf, action: "upload", avatar: new File([], "empty.png", { type: "image/png" }) })).status).toBe(400)
    expect((await upload(browser, { csrf, action: "upload" })).status).toBe(400)
    expect(await pictureOf(user.id)).toBeNull()
  })

  it("without the CSRF token nothing changes; without a session the browser is sent to sign in; a urlencoded post is refused", async () => {
    const { user, browser } = await signedIn()
    const forged = await upload(browser, { csrf: "forged", action: "upload", avatar: new File([png(4)], "me.png") })
    expect(forged.status).toBeGreaterThanOrEqual(400)
    expect(forged.status).toBeLessThan(500)
    expect(await pictureOf(user.id)).toBeNull()
    const anonymous = await upload(new Browser(), { csrf: "x", action: "upload", avatar: new File([png(4)], "me.png") })
    expect(anonymous.status).toBe(303)
    expect(anonymous.headers.get("location")).toMatch(/^\/login\?tx=/)
    expect((await browser.post("/account/avatar", { action: "remove" })).status).toBe(400)
  })

  it("malformed or unknown avatar names are a plain 404, never a 500", async () => {
    for (const path of ["/avatars/", "/avatars/x", `/avatars/${"a".repeat(64)}.svg`, `/avatars/${"a".repeat(64)}.png`, "/avatars/..%2Faudit%2Fx", `/avatars/${"a".repeat(64)}.png/extra`]) {
      const response = await new Browser().request(path)
      expect(response.status, path).toBe(404)
    }
    expect((await new Browser().request(`/avatars/${"a".repeat(64)}.png`, { method: "POST" })).status).toBe(405)
  })
})
