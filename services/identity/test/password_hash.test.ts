import { InvalidCredentials } from "@authrim/contracts"
import { env } from "cloudflare:test"
import { Effect } from "effect"
import { describe, expect, it } from "vitest"
import { DUMMY_PASSWORD_HASH, PBKDF2_ITERATIONS, parsePasswordHash, verifyPassword } from "../src/passwords/password_hash.ts"
import { authenticatePassword, getUser, upsertUser } from "../src/users/users.ts"
import { makeHarness, unique } from "./identity_harness.ts"

const storedHash = async (userId: string) =>
  (await env.DB.prepare("SELECT password_hash FROM users WHERE id = ?").bind(userId).first<{ password_hash: string | null }>())?.password_hash

describe("Password storage — PBKDF2-SHA256 (workerd WebCrypto)", () => {
  it("local workerd does not enforce production's 100,000 ceiling, so the code must", async () => {
    const key = await crypto.subtle.importKey("raw", new TextEncoder().encode("pw"), "PBKDF2", false, ["deriveBits"])
    const derive = (iterations: number) =>
      crypto.subtle.deriveBits({ name: "PBKDF2", hash: "SHA-256", salt: new Uint8Array(16), iterations }, key, 256)
    await expect(derive(PBKDF2_ITERATIONS)).resolves.toBeInstanceOf(ArrayBuffer)
    // Cloudflare production rejects this call (NotSupportedError); locally it passes, which is why
    // a stored hash above the ceiling is refused by our parser rather than left to the runtime.
    await expect(derive(PBKDF2_ITERATIONS + 1)).resolves.toBeInstanceOf(ArrayBuffer)
    const over = DUMMY_PASSWORD_HASH.replace("$100000$", "$100001$")
    expect(parsePasswordHash(over)).toBeNull()
    expect(await Effect.runPromise(verifyPassword("anything", over))).toBe(false)
  })

  it("stores pbkdf2-sha256$100000$<16-byte salt>$<32-byte hash>", async () => {
    const h = makeHarness()
    const user = await h.run(upsertUser({ email: `${unique("fmt")}@example.com`, password: "correct horse", name: "A", emailVerified: true }))
    const stored = await storedHash(user.id)
    expect(stored).toMatch(/^pbkdf2-sha256\$100000\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/)
    const parsed = parsePasswordHash(stored ?? "")
    expect(parsed?.iterations).toBe(100_000)
    expect(parsed?.salt.byteLength).toBe(16)
    expect(parsed?.hash.byteLength).toBe(32)
  })

  it("verifies with the iteration count stored in the hash (cost can change later)", async () => {
    const salt = new Uint8Array(16).fill(7)
    const key = await crypto.subtle.importKey("raw", new TextEncoder().encode("old password"), "PBKDF2", false, ["deriveBits"])
    const bits = new Uint8Array(await crypto.subtle.deriveBits({ name: "PBKDF2", hash: "SHA-256", salt, iterations: 1_000 }, key, 256))
    const b64 = (b: Uint8Array) => btoa(String.fromCharCode(...b)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "")
    const legacy = `pbkdf2-sha256$1000$${b64(salt)}$${b64(bits)}`
    expect(await Effect.runPromise(verifyPassword("old password", legacy))).toBe(true)
    expect(await Effect.runPromise(verifyPassword("other", legacy))).toBe(false)
  })

  it("two users with the same password get different salts and hashes", async () => {
    const h = makeHarness()
    const a = await h.run(upsertUser({ email: `${unique("a")}@example.com`, password: "same password", name: null, emailVerified: false }))
    const b = await h.run(upsertUser({ email: `${unique("b")}@example.com`, password: "same password", name: null, emailVerified: false }))
    const [ha, hb] = [await storedHash(a.id), await storedHash(b.id)]
    expect(ha?.split("$")[2]).not.toBe(hb?.split("$")[2])
    expect(ha?.split("$")[3]).not.toBe(hb?.split("$")[3])
  })

  it("the dummy hash used for unknown emails is a well-formed hash at full cost", () => {
    expect(parsePasswordHash(DUMMY_PASSWORD_HASH)?.iterations).toBe(PBKDF2_ITERATIONS)
  })
})

describe("Password sign-in", () => {
  it("accepts the right password, case-insensitively on the email", async () => {
    const h = makeHarness()
    const email = `${unique("Mixed")}@Example.com`
    const user = await h.run(upsertUser({ email, password: "s3cret pass", name: "Ann", emailVerified: true }))
    const signedIn = await h.run(authenticatePassword({ email: email.toLowerCase(), password: "s3cret pass" }))
    // The TOTP status comes with the user, so the sign-in needs no second query (none enrolled here).
    expect(signedIn).toEqual({ ...user, totpEnabled: false })
    expect(signedIn).not.toHaveProperty("passwordHash")
  })

  it("rejects a wrong password with InvalidCredentials", async () => {
    const h = makeHarness()
    const email = `${unique("wrong")}@example.com`
    await h.run(upsertUser({ email, password: "right-password", name: null, emailVerified: false }))
    expect(await h.fail(authenticatePassword({ email, password: "wrong" }))).toBeInstanceOf(InvalidCredentials)
  })

  it("rejects an unknown email with the same InvalidCredentials", async () => {
    const h = makeHarness()
    const error = await h.fail(authenticatePassword({ email: `${unique("nobody")}@example.com`, password: "anything" }))
    expect(error).toBeInstanceOf(InvalidCredentials)
  })

  it("rejects any password for a password-less user", async () => {
    const h = makeHarness()
    const email = `${unique("nopw")}@example.com`
    await h.run(upsertUser({ email, password: null, name: null, emailVerified: true }))
    expect(await h.fail(authenticatePassword({ email, password: "" }))).toBeInstanceOf(InvalidCredentials)
  })
})

describe("Users — upsert by email", () => {
  it("updates the same user whatever the email's case; a null password keeps the old one", async () => {
    const h = makeHarness()
    const email = `${unique("upd")}@example.com`
    const first = await h.run(upsertUser({ email, password: "pw one two", name: "First", emailVerified: false }))
    const second = await h.run(upsertUser({ email: email.toUpperCase(), password: null, name: "Second", emailVerified: true }))
    expect(second.id).toBe(first.id)
    expect(second.name).toBe("Second")
    expect(second.emailVerified).toBe(true)
    expect(second.createdAt).toBe(first.createdAt)
    expect(await h.run(authenticatePassword({ email, password: "pw one two" }))).toMatchObject({ id: first.id })
    expect(await h.run(getUser(first.id))).toEqual(second)
  })

  it("a new password replaces the old one", async () => {
    const h = makeHarness()
    const email = `${unique("rot")}@example.com`
    await h.run(upsertUser({ email, password: "old-password", name: null, emailVerified: false }))
    await h.run(upsertUser({ email, password: "new-password", name: null, emailVerified: false }))
    expect(await h.fail(authenticatePassword({ email, password: "old-password" }))).toBeInstanceOf(InvalidCredentials)
    expect(await h.run(authenticatePassword({ email, password: "new-password" }))).toMatchObject({ email })
  })

  it("getUser of an unknown id is NotFound", async () => {
    const h = makeHarness()
    expect(await h.fail(getUser("no-such-user"))).toMatchObject({ _tag: "NotFound" })
  })
})
