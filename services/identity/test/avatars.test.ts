/**
 * Avatars (issue 12 §4) against the real local D1 and R2: the kind is decided
 * by magic bytes, never by a declared type; over 5 MiB nothing is stored; the
 * object name is content-addressed; replacing or removing deletes the old
 * object; concurrent uploads leave exactly one object, the one `picture` names.
 */
import { env } from "cloudflare:test"
import { Effect } from "effect"
import { describe, expect, it } from "vitest"
import { AvatarBucket } from "../src/avatars/avatar_bucket.ts"
import { MAX_AVATAR_BYTES, sniffAvatar } from "../src/avatars/avatar_image.ts"
import { getAvatar, removeAvatar, setAvatar } from "../src/avatars/avatar_store.ts"
import { deleteUser } from "../src/users/user_admin_delete.ts"
import { upsertUser } from "../src/users/users.ts"
import { makeHarness, unique } from "./identity_harness.ts"

const issuer = "https://id.example.test"
const png = (seed: number) => new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, seed & 255, (seed >> 8) & 255])
const jpeg = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46])
const gif = new TextEncoder().encode("GIF89a\x01\x00\x01\x00")
const webp = new Uint8Array([...new TextEncoder().encode("RIFF"), 4, 0, 0, 0, ...new TextEncoder().encode("WEBPVP8 ")])

const withBucket = <A, E, R>(program: Effect.Effect<A, E, R>) => Effect.provideService(program, AvatarBucket, env.AVATARS)

const newUser = async (h: ReturnType<typeof makeHarness>) =>
  (await h.run(upsertUser({ email: `${unique("avatar")}@example.test`, password: null, name: null, emailVerified: true }))).id

/** The avatar objects of the bucket that belong to `userId` (by the metadata the upload sets). */
const objectsOf = async (userId: string): Promise<Array<string>> => {
  const listed = await env.AVATARS!.list({ prefix: "avatars/", include: ["customMetadata"] })
  return listed.objects.filter((o) => o.customMetadata?.["userId"] === userId).map((o) => o.key)
}

const pictureOf = async (userId: string) =>
  (await env.DB.prepare("SELECT picture FROM users WHERE id = ?1").bind(userId).first<{ picture: string | null }>())?.picture

describe("avatar kinds by magic bytes", () => {
  it("accepts JPEG, PNG, GIF and WebP and refuses SVG, HTML, text and a PNG signature that does not start the file", () => {
    expect([jpeg, png(1), gif, webp].map((b) => sniffAvatar(b)?.contentType)).toEqual(["image/jpeg", "image/png", "image/gif", "image/webp"])
    const refused = [
      new TextEncoder().encode("<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>"),
      new TextEncoder().encode("<!doctype html><script>alert(1)</script>"),
      new TextEncoder().encode("just text"),
      new Uint8Array([0x00, ...png(2)]),
      new TextEncoder().encode("RIFF\x04\x00\x00\x00WAVEfmt "),
      new Uint8Array([0xff, 0xd8])
    ]
    expect(refused.map((b) => sniffAvatar(b))).toEqual(refused.map(() => undefined))
  })
})

describe("setAvatar / removeAvatar / getAvatar", () => {
  it("stores an image under a content-addressed name, points picture at it, and serves its bytes back", async () => {
    const h = makeHarness()
    const userId = await newUser(h)
    const { picture } = await h.run(withBucket(setAvatar({ userId, image: png(7), issuer, actor: { kind: "user", id: userId } })))
    expect(picture).toMatch(/^https:\/\/id\.example\.test\/avatars\/[0-9a-f]{64}\.png$/)
    expect(picture).not.toContain(userId)
    expect(await pictureOf(userId)).toBe(picture)
    const name = picture.split("/").pop()!
    const served = await h.run(withBucket(getAvatar({ name })))
    expect(served.contentType).toBe("image/png")
    expect([...served.image]).toEqual([...png(7)])
    expect(h.audit.events()).toEqual([expect.objectContaining({ type: "avatar.changed", userId, actor: { kind: "user", id: userId } })])
    // The same bytes again: the same name, nothing new stored.
    expect((await h.run(withBucket(setAvatar({ userId, image: png(7), issuer, actor: { kind: "user", id: userId } })))).picture).toBe(picture)
    expect(await objectsOf(userId)).toHaveLength(1)
  })

  it("refuses an empty, an oversized and a non-image upload with a typed reason, storing nothing", async () => {
    const h = makeHarness()
    const userId = await newUser(h)
    const big = new Uint8Array(MAX_AVATAR_BYTES + 1)
    big.set(png(1))
    const reasons = []
    for (const image of [new Uint8Array(0), big, new TextEncoder().encode("<svg/>")]) {
      const failure = await h.fail(withBucket(setAvatar({ userId, image, issuer, actor: { kind: "user", id: userId } })))
      reasons.push(failure._tag === "AvatarRejected" ? failure.reason : failure._tag)
    }
    expect(reasons).toEqual(["empty", "too_large", "unsupported_type"])
    expect(await objectsOf(userId)).toEqual([])
    expect(await pictureOf(userId)).toBeNull()
  })

  it("replacing deletes the old object; removing deletes the object and clears picture; unknown users are NotFound", async () => {
    const h = makeHarness()
    const userId = await newUser(h)
    const actor = { kind: "admin" as const, id: "admin-1" }
    const first = await h.run(withBucket(setAvatar({ userId, image: png(1), issuer, actor })))
    const second = await h.run(withBucket(setAvatar({ userId, image: jpeg, issuer, actor })))
    expect(second.picture).toMatch(/\.jpg$/)
    expect(await objectsOf(userId)).toEqual([`avatars/${second.picture.split("/").pop()}`])
    expect((await h.fail(withBucket(getAvatar({ name: first.picture.split("/").pop()! }))))._tag).toBe("NotFound")
    expect(await h.run(withBucket(removeAvatar({ userId, issuer, actor })))).toEqual({ removed: true })
    expect(await objectsOf(userId)).toEqual([])
    expect(await pictureOf(userId)).toBeNull()
    expect(await h.run(withBucket(removeAvatar({ userId, issuer, actor })))).toEqual({ removed: false })
    expect(h.audit.events().map((e) => [e.type, e.actor.kind])).toEqual([["avatar.changed", "admin"], ["avatar.changed", "admin"], ["avatar.removed", "admin"]])
    expect((await h.fail(withBucket(setAvatar({ userId: "no-such-user", image: png(1), issuer, actor }))))._tag).toBe("NotFound")
  })

  it("a picture that is not one of ours (an external URL) is left alone by removal", async () => {
    const h = makeHarness()
    const userId = await newUser(h)
    await env.DB.prepare("UPDATE users SET picture = ?1 WHERE id = ?2").bind("https://cdn.example.org/me.png", userId).run()
    expect(await h.run(withBucket(removeAvatar({ userId, issuer, actor: { kind: "user", id: userId } })))).toEqual({ removed: false })
    expect(await pictureOf(userId)).toBe("https://cdn.example.org/me.png")
  })

  it("getAvatar refuses names not shaped like ours (no path into the rest of the bucket)", async () => {
    const h = makeHarness()
    await env.AVATARS!.put("audit/secret.txt", "not an avatar")
    for (const name of ["../audit/secret.txt", "secret.txt", `${"a".repeat(64)}.svg`, `${"A".repeat(64)}.png`, ""]) {
      expect((await h.fail(withBucket(getAvatar({ name }))))._tag).toBe("NotFound")
    }
  })

  it("20 concurrent uploads for one user: picture names one of them and exactly that object is left", async () => {
    const h = makeHarness()
    const userId = await newUser(h)
    const actor = { kind: "user" as const, id: userId }
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => h.run(withBucket(setAvatar({ userId, image: png(100 + i), issuer, actor })))))
    const picture = await pictureOf(userId)
    expect(answers.map((a) => a.picture)).toContain(picture)
    expect(await objectsOf(userId)).toEqual([`avatars/${picture!.split("/").pop()}`])
  })

  it("deleting a user (the admin API's cascade) deletes their avatar object — never one their picture merely points at", async () => {
    const h = makeHarness()
    const [userId, other, borrower] = [await newUser(h), await newUser(h), await newUser(h)]
    await h.run(withBucket(setAvatar({ userId, image: png(900), issuer, actor: { kind: "user", id: userId } })))
    const { picture: othersPicture } = await h.run(withBucket(setAvatar({ userId: other, image: png(901), issuer, actor: { kind: "user", id: other } })))
    await env.DB.prepare("UPDATE users SET picture = ?1 WHERE id = ?2").bind(othersPicture, borrower).run()
    expect(await h.run(withBucket(deleteUser({ adminUserId: "admin-1", userId })))).toEqual({ deleted: true })
    expect(await objectsOf(userId)).toEqual([])
    expect(await h.run(withBucket(deleteUser({ adminUserId: "admin-1", userId: borrower })))).toEqual({ deleted: true })
    expect(await objectsOf(other)).toHaveLength(1)
  })
})
