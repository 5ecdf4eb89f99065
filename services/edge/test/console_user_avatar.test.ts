/**
 * A user's avatar set / removed by an admin (console-schema): the admin operations
 * `PUT` / `DELETE /admin/api/v1/users/{userId}/avatar` (raw image, magic bytes, 5 MiB cap,
 * 413 / 415 / 400, `users:write`) and the console's multipart form on the user page (CSRF kept).
 */
import { env } from "cloudflare:workers"
import { beforeAll, describe, expect, it } from "vitest"
import { Browser } from "./support/browser.ts"
import { adminCall, problemOf, signInAdmin } from "./support/admin_flows.ts"
import { consoleAdmin, formFields, seedConsoleClient } from "./support/console_flows.ts"
import { seedUser } from "./support/fixtures.ts"

beforeAll(seedConsoleClient)

const png = (seed: number) => new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, seed & 255, (seed >> 8) & 255])

const pictureOf = async (userId: string): Promise<string | null> => {
  const result = await env.IDENTITY.getUser({ userId })
  if (result._tag !== "Success") throw new Error("getUser failed")
  return result.value.picture
}

/** A raw image PUT (adminCall sends JSON). */
const putImage = (path: string, token: string, body: Uint8Array | string, type = "image/png") =>
  new Browser().request(`/admin/api/v1${path}`, { method: "PUT", headers: { authorization: `Bearer ${token}`, "content-type": type }, body })

describe("admin API — a user's avatar", () => {
  it("PUT sets it from the bytes (not the declared type); 415 / 400 / 413 change nothing; DELETE removes it; needs users:write", async () => {
    const { token } = await signInAdmin(["users:read", "users:write"])
    const user = await seedUser()
    const path = `/users/${user.id}/avatar`
    const set = await putImage(path, token, png(7), "image/jpeg")
    expect(set.status).toBe(200)
    const { picture } = await set.json<{ picture: string }>()
    expect(picture).toMatch(/^https:\/\/op\.test\/avatars\/[0-9a-f]{64}\.png$/)
    expect(await pictureOf(user.id)).toBe(picture)

    const script = await putImage(path, token, "<script>alert(1)</script>")
    await problemOf(script, 415)
    await problemOf(await putImage(path, token, ""), 400)
    const big = new Uint8Array(5 * 1024 * 1024 + 1)
    big.set(png(8))
    await problemOf(await putImage(path, token, big), 413)
    expect(await pictureOf(user.id)).toBe(picture)
    await problemOf(await putImage("/users/no-such-user/avatar", token, png(9)), 404)

    const { token: reader } = await signInAdmin(["users:read"])
    await problemOf(await adminCall(path, { method: "DELETE", token: reader }), 403)
    const removed = await adminCall(path, { method: "DELETE", token })
    expect(removed.status).toBe(200)
    expect(await removed.json()).toEqual({ removed: true })
    expect(await pictureOf(user.id)).toBeNull()
    expect((await putImage(path, reader, png(1))).status).toBe(403)
  })
})

const upload = (browser: Browser, action: string, fields: Record<string, string | Blob>) => {
  const form = new FormData()
  for (const [name, value] of Object.entries(fields)) form.set(name, value)
  return browser.request(action, { method: "POST", body: form })
}

describe("Console — a user's avatar", () => {
  it("uploads through the multipart form (CSRF checked), refuses a non-image next to the field, removes it", async () => {
    const { browser } = await consoleAdmin(["users:read", "users:write"])
    const target = await seedUser()
    const href = `/admin/users/${target.id}`
    const page = await (await browser.request(href)).text()
    expect(page).toContain(`enctype="multipart/form-data"`)
    const { csrf } = formFields(page, `${href}/avatar`)

    const noCsrf = await upload(browser, `${href}/avatar`, { avatar: new File([png(1)], "a.png", { type: "image/png" }) })
    expect(noCsrf.status).toBe(403)
    expect(await pictureOf(target.id)).toBeNull()

    const uploaded = await upload(browser, `${href}/avatar`, { csrf: csrf!, avatar: new File([png(2)], "a.png", { type: "image/png" }) })
    expect(uploaded.status).toBe(303)
    expect(uploaded.headers.get("location")).toBe(`${href}?done=avatar`)
    const picture = await pictureOf(target.id)
    expect(picture).toMatch(/\/avatars\/[0-9a-f]{64}\.png$/)
    const after = await (await browser.request(`${href}?done=avatar`)).text()
    expect(after).toContain("Avatar updated.")
    expect(after).toContain(`<img class="avatar" src="${picture!.replace(/\//g, "&#x2F;")}"`)

    const refused = await upload(browser, `${href}/avatar`, { csrf: csrf!, avatar: new File(["<svg/>"], "x.png", { type: "image/png" }) })
    expect(refused.status).toBe(415)
    expect(await refused.text()).toMatch(/id="f-avatar"[^>]*aria-describedby="f-avatar-hint f-avatar-error" aria-invalid="true"/)
    const big = new Uint8Array(5 * 1024 * 1024 + 20 * 1024)
    const tooLarge = await upload(browser, `${href}/avatar`, { csrf: csrf!, avatar: new File([big], "big.png", { type: "image/png" }) })
    expect(tooLarge.status).toBe(413)
    expect(await pictureOf(target.id)).toBe(picture)

    const removed = await browser.request(`${href}/avatar/remove`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: `csrf=${encodeURIComponent(csrf!)}` })
    expect(removed.status).toBe(303)
    expect(await pictureOf(target.id)).toBeNull()
  })
})
