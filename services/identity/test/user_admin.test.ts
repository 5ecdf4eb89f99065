/**
 * User administration (issue 12 §1, contracts/src/user_admin.ts) against the
 * real local D1: search pagination over every page, optimistic concurrency
 * under a race, the one-batch cascade delete, the export's content, the audit
 * events of every write, and the refusal of a disabled account's sign-ins.
 */
import type { AuditTrail } from "@authrim/audit-trail"
import type { AuditEvent } from "@authrim/contracts"
import { env } from "cloudflare:test"
import { auditEvent } from "@authrim/audit-trail"
import { Cause, Effect, Exit } from "effect"
import { describe, expect, it } from "vitest"
import { auditInserts } from "../src/audit/audit_writer.ts"
import type { IdentityBindings } from "../src/identity_bindings.ts"
import { mfaKeyLayer } from "../src/mfa/mfa_key.ts"
import { verifySecondFactor } from "../src/mfa/second_factor.ts"
import { createUser } from "../src/users/user_admin_create.ts"
import { listConsents, revokeConsent } from "../src/users/user_admin_consents.ts"
import { deleteUser, USER_OWNED_TABLES } from "../src/users/user_admin_delete.ts"
import { getUserDetail } from "../src/users/user_admin_detail.ts"
import { resetUserMfa } from "../src/users/user_admin_mfa_reset.ts"
import { exportUser } from "../src/users/user_admin_export.ts"
import { searchUsers } from "../src/users/user_admin_search.ts"
import { setUserDisabled, updateUser } from "../src/users/user_admin_update.ts"
import { ACCOUNT_DISABLED_DESCRIPTION } from "../src/users/user_disabled.ts"
import { authenticatePassword, upsertUser } from "../src/users/users.ts"
import { makeHarness, unique } from "./identity_harness.ts"

const ADMIN = "admin-user-1"
const PASSWORD = "correct horse battery staple 1"

/** Inserts `n` users directly (fast), emails `<prefix>-<i>@example.com`, names "Person <i> <tag>". */
const insertUsers = async (prefix: string, tag: string, n: number) => {
  const now = Date.now()
  const ids: Array<string> = []
  const statements = Array.from({ length: n }, (_, i) => {
    const id = crypto.randomUUID()
    ids.push(id)
    const email = `${prefix}-${String(i).padStart(4, "0")}@example.com`
    return env.DB.prepare("INSERT INTO users (id, email, name, email_verified, created_at, updated_at) VALUES (?, ?, ?, 0, ?, ?)")
      .bind(id, i % 2 === 0 ? email : email.toUpperCase(), `Person ${i} ${tag}`, now, now)
  })
  for (let i = 0; i < statements.length; i += 100) await env.DB.batch(statements.slice(i, i + 100))
  return ids
}

/** Every page of a search, in order. */
const allPages = async (h: ReturnType<typeof makeHarness>, query: { email?: string; name?: string; limit: number }) => {
  const pages: Array<Array<string>> = []
  let cursor: string | undefined
  for (let i = 0; i < 1000; i++) {
    const page = await h.run(searchUsers({ ...query, ...(cursor === undefined ? {} : { cursor }) }))
    pages.push(page.users.map((u) => u.id))
    if (page.nextCursor === null) return pages
    cursor = page.nextCursor
  }
  throw new Error("search never ended")
}

describe("searchUsers — cursor pagination", () => {
  it("an email prefix (any case) walks every matching user exactly once, in email order, over full pages", async () => {
    const h = makeHarness()
    const prefix = unique("pg")
    const ids = await insertUsers(prefix, "x", 157)
    await insertUsers(unique("other"), "x", 5)
    const pages = await allPages(h, { email: prefix.toUpperCase(), limit: 10 })
    const seen = pages.flat()
    expect(pages).toHaveLength(16)
    expect(pages.slice(0, 15).every((p) => p.length === 10)).toBe(true)
    expect(seen).toHaveLength(157)
    expect(new Set(seen)).toEqual(new Set(ids))
    expect(seen).toEqual(ids) // emails were numbered in order, so email order is insertion order
  })

  it("a name substring walks every match exactly once in id order; users added meanwhile never cause a repeat", async () => {
    const h = makeHarness()
    const tag = unique("tag")
    const ids = await insertUsers(unique("nm"), tag, 83)
    const seen: Array<string> = []
    let cursor: string | undefined
    let added = false
    for (;;) {
      const page = await h.run(searchUsers({ name: tag.toUpperCase(), limit: 9, ...(cursor === undefined ? {} : { cursor }) }))
      seen.push(...page.users.map((u) => u.id))
      if (!added) {
        ids.push(...await insertUsers(unique("late"), tag, 3))
        added = true
      }
      if (page.nextCursor === null) break
      cursor = page.nextCursor
    }
    expect(new Set(seen).size).toBe(seen.length)
    expect([...seen].sort()).toEqual(seen)
    // The 83 that existed throughout are all there; the late ones appear when their id sorts after the first page.
    for (const id of ids.slice(0, 83)) expect(seen).toContain(id)
  })

  it("an exact id finds one user; nothing matches an unknown id", async () => {
    const h = makeHarness()
    const [id] = await insertUsers(unique("id"), "x", 1)
    expect((await h.run(searchUsers({ id: id! }))).users.map((u) => u.id)).toEqual([id])
    expect(await h.run(searchUsers({ id: "nope" }))).toEqual({ users: [], nextCursor: null })
  })

  it("bad input is UserAdminInvalidInput naming the field (limit, cursor garbage, another search's cursor)", async () => {
    const h = makeHarness()
    const prefix = unique("bad")
    await insertUsers(prefix, "x", 3)
    for (const limit of [0, 101, 1.5, Number.NaN]) {
      expect(await h.fail(searchUsers({ limit }))).toMatchObject({ _tag: "UserAdminInvalidInput", field: "limit" })
    }
    for (const cursor of ["%%%", "bm90IGpzb24", btoa("[]"), btoa(JSON.stringify({ f: "x", k: 1 }))]) {
      expect(await h.fail(searchUsers({ cursor }))).toMatchObject({ _tag: "UserAdminInvalidInput", field: "cursor" })
    }
    const first = await h.run(searchUsers({ email: prefix, limit: 1 }))
    expect(first.nextCursor).not.toBeNull()
    expect(await h.fail(searchUsers({ email: "someone-else", cursor: first.nextCursor! })))
      .toMatchObject({ _tag: "UserAdminInvalidInput", field: "cursor" })
  })
})

/** Runs to an Exit's success value or typed failure (`{ ok, value | error }`). */
const settle = async <A, E>(h: ReturnType<typeof makeHarness>, program: Effect.Effect<A, E, IdentityBindings | AuditTrail>) => {
  const exit = await h.run(Effect.exit(program))
  if (Exit.isSuccess(exit)) return { ok: true as const, value: exit.value }
  const reason = exit.cause.reasons.find(Cause.isFailReason)
  if (reason === undefined) throw Cause.squash(exit.cause)
  return { ok: false as const, error: reason.error }
}

describe("updateUser — optimistic concurrency (version / If-Match)", () => {
  it("20 concurrent updates with the same version: exactly one wins, the others get UserVersionConflict", async () => {
    const h = makeHarness()
    const user = await h.run(createUser({ adminUserId: ADMIN, email: `${unique("race")}@example.com`, name: "Before" }))
    expect(user.version).toBe(1)
    const outcomes = await Promise.all(Array.from({ length: 20 }, (_, i) =>
      settle(h, updateUser({ adminUserId: ADMIN, userId: user.id, expectedVersion: 1, name: `Name ${i}` }))))
    const winners = outcomes.filter((o) => o.ok)
    expect(winners).toHaveLength(1)
    const losers = outcomes.filter((o) => !o.ok)
    expect(losers.every((o) => !o.ok && o.error._tag === "UserVersionConflict" && o.error.currentVersion === 2)).toBe(true)
    const stored = await h.run(getUserDetail({ userId: user.id }))
    expect(stored.user.version).toBe(2)
    expect(stored.user.name).toBe(winners[0]!.ok ? winners[0]!.value.name : "?")
  })

  it("a change made elsewhere (account page, seed upsert) moves the version too: the admin's stale copy is refused", async () => {
    const h = makeHarness()
    const email = `${unique("stale")}@example.com`
    const user = await h.run(createUser({ adminUserId: ADMIN, email, name: "Admin's view" }))
    await h.run(upsertUser({ email, password: null, name: "Changed by the user", emailVerified: true }))
    expect(await h.fail(updateUser({ adminUserId: ADMIN, userId: user.id, expectedVersion: user.version, name: "Overwrite" })))
      .toMatchObject({ _tag: "UserVersionConflict", currentVersion: user.version + 1 })
    const fresh = await h.run(updateUser({ adminUserId: ADMIN, userId: user.id, expectedVersion: user.version + 1, name: "Fixed", emailVerified: false }))
    expect(fresh).toMatchObject({ name: "Fixed", emailVerified: false, version: user.version + 2, email })
  })

  it("a new address ends the unused reset and email-change links mailed to the old one; a name change keeps them", async () => {
    const h = makeHarness()
    const user = await h.run(createUser({ adminUserId: ADMIN, email: `${unique("mv")}@example.com` }))
    const links = async () => (await rowsOf("password_reset_tokens", user.id)) + (await rowsOf("email_change_tokens", user.id))
    const now = Date.now()
    await env.DB.batch([
      env.DB.prepare("INSERT INTO password_reset_tokens (token_hash, user_id, expires_at, created_at) VALUES (?, ?, ?, ?)").bind(unique("r"), user.id, now + 60_000, now),
      env.DB.prepare("INSERT INTO email_change_tokens (token_hash, user_id, new_email, expires_at, created_at) VALUES (?, ?, 'x@example.com', ?, ?)").bind(unique("c"), user.id, now + 60_000, now)
    ])
    await h.run(updateUser({ adminUserId: ADMIN, userId: user.id, expectedVersion: 1, name: "Renamed" }))
    expect(await links()).toBe(2)
    await h.fail(updateUser({ adminUserId: ADMIN, userId: user.id, expectedVersion: 1, email: `${unique("lost")}@example.com` }))
    expect(await links()).toBe(2)
    const moved = await h.run(updateUser({ adminUserId: ADMIN, userId: user.id, expectedVersion: 2, email: `${unique("new")}@example.com` }))
    expect(moved.version).toBe(3)
    expect(await links()).toBe(0)
  })

  it("unknown user → NotFound; another user's address → EmailAddressTaken; bad email/name → UserAdminInvalidInput", async () => {
    const h = makeHarness()
    const taken = `${unique("taken")}@example.com`
    await h.run(createUser({ adminUserId: ADMIN, email: taken }))
    const user = await h.run(createUser({ adminUserId: ADMIN, email: `${unique("upd")}@example.com` }))
    expect(await h.fail(updateUser({ adminUserId: ADMIN, userId: "no-such-user", expectedVersion: 1, name: "x" }))).toMatchObject({ _tag: "NotFound" })
    expect(await h.fail(updateUser({ adminUserId: ADMIN, userId: user.id, expectedVersion: 1, email: taken.toUpperCase() }))).toMatchObject({ _tag: "EmailAddressTaken" })
    expect(await h.fail(updateUser({ adminUserId: ADMIN, userId: user.id, expectedVersion: 1, email: "not an address" }))).toMatchObject({ _tag: "UserAdminInvalidInput", field: "email" })
    expect(await h.fail(updateUser({ adminUserId: ADMIN, userId: user.id, expectedVersion: 1, name: "n".repeat(300) }))).toMatchObject({ _tag: "UserAdminInvalidInput", field: "name" })
    expect((await h.run(getUserDetail({ userId: user.id }))).user.version).toBe(1)
  })
})

describe("createUser", () => {
  it("creates with or without a password; a taken address (any case) is EmailAddressTaken; a weak password names the field", async () => {
    const h = makeHarness()
    const email = `${unique("create")}@example.com`
    const user = await h.run(createUser({ adminUserId: ADMIN, email, name: "  Ann  ", password: PASSWORD, emailVerified: true }))
    expect(user).toMatchObject({ email, name: "Ann", emailVerified: true, disabled: false, disabledAt: null, version: 1 })
    expect((await h.run(authenticatePassword({ email, password: PASSWORD }))).id).toBe(user.id)
    expect(await h.fail(createUser({ adminUserId: ADMIN, email: email.toUpperCase() }))).toMatchObject({ _tag: "EmailAddressTaken" })
    expect(await h.fail(createUser({ adminUserId: ADMIN, email: `${unique("weak")}@example.com`, password: "short" })))
      .toMatchObject({ _tag: "UserAdminInvalidInput", field: "password" })
    expect(await h.fail(createUser({ adminUserId: ADMIN, email: "@" }))).toMatchObject({ _tag: "UserAdminInvalidInput", field: "email" })
  })
})

/** A user with a row in every table identity keeps about users. */
const fullUser = async (h: ReturnType<typeof makeHarness>) => {
  const email = `${unique("full")}@example.com`
  const user = await h.run(createUser({ adminUserId: ADMIN, email, name: "Full User", password: PASSWORD, emailVerified: true }))
  const id = user.id
  const now = Date.now()
  const clientId = unique("client")
  const providerId = unique("idp")
  const roleId = unique("role")
  await env.DB.batch([
    env.DB.prepare(`INSERT INTO oauth_clients (client_id, client_name, redirect_uris, grant_types, response_types, token_endpoint_auth_method, scope, created_at, updated_at)
      VALUES (?, 'C', '["https://rp.example/cb"]', '["authorization_code"]', '["code"]', 'none', 'openid', ?, ?)`).bind(clientId, now, now),
    env.DB.prepare("INSERT INTO identity_providers (id, provider_type, name, config_json, created_at, updated_at) VALUES (?, 'oidc', 'IdP', '{}', ?, ?)").bind(providerId, now, now),
    env.DB.prepare("INSERT INTO roles (id, name, created_at) VALUES (?, ?, ?)").bind(roleId, `role ${roleId}`, now),
    env.DB.prepare("INSERT INTO passkeys (credential_id, user_id, public_key, counter, transports, name, created_at) VALUES (?, ?, 'PUBLICKEYMATERIAL', 0, '[\"usb\"]', 'YubiKey', ?)").bind(unique("cred"), id, now),
    env.DB.prepare("INSERT INTO user_totp (user_id, secret_ciphertext, confirmed_at, created_at, updated_at) VALUES (?, 'v1.TOTPCIPHERTEXT', ?, ?, ?)").bind(id, now, now, now),
    env.DB.prepare("INSERT INTO user_recovery_codes (user_id, code_hash, created_at) VALUES (?, 'RECOVERYHASH1', ?), (?, 'RECOVERYHASH2', ?)").bind(id, now, id, now),
    env.DB.prepare("INSERT INTO oauth_client_consents (user_id, client_id, scope, granted_at) VALUES (?, ?, 'openid email', ?)").bind(id, clientId, now),
    env.DB.prepare("INSERT INTO user_custom_fields (user_id, field_name, field_value) VALUES (?, 'department', 'R&D')").bind(id),
    env.DB.prepare("INSERT INTO user_identities (provider_id, subject, user_id, email, created_at, last_used_at) VALUES (?, 'upstream-sub', ?, ?, ?, ?)").bind(providerId, id, email, now, now),
    env.DB.prepare("INSERT INTO user_roles (user_id, role_id) VALUES (?, ?)").bind(id, roleId),
    env.DB.prepare("INSERT INTO password_reset_tokens (token_hash, user_id, expires_at, created_at) VALUES (?, ?, ?, ?)").bind(unique("RESETHASH"), id, now + 60_000, now),
    env.DB.prepare("INSERT INTO email_change_tokens (token_hash, user_id, new_email, expires_at, created_at) VALUES (?, ?, 'new@example.com', ?, ?)").bind(unique("CHANGEHASH"), id, now + 60_000, now)
  ])
  return { user, clientId, providerId, roleId }
}

const rowsOf = async (table: string, userId: string) =>
  (await env.DB.prepare(`SELECT COUNT(*) AS n FROM ${table} WHERE user_id = ?`).bind(userId).first<{ n: number }>())!.n

describe("deleteUser — cascade in one batch", () => {
  it("removes the user's rows from every table (and only theirs); a second delete answers deleted: false", async () => {
    const h = makeHarness()
    const victim = await fullUser(h)
    const bystander = await fullUser(h)
    for (const table of USER_OWNED_TABLES) expect(await rowsOf(table, victim.user.id)).toBeGreaterThan(0)
    expect(await h.run(deleteUser({ adminUserId: ADMIN, userId: victim.user.id }))).toEqual({ deleted: true })
    for (const table of [...USER_OWNED_TABLES, "user_recovery_codes"]) expect(await rowsOf(table, victim.user.id)).toBe(0)
    expect(await env.DB.prepare("SELECT COUNT(*) AS n FROM users WHERE id = ?").bind(victim.user.id).first("n")).toBe(0)
    // Shared records stay: the client, the provider, the role.
    expect(await env.DB.prepare("SELECT COUNT(*) AS n FROM roles WHERE id = ?").bind(victim.roleId).first("n")).toBe(1)
    expect(await env.DB.prepare("SELECT COUNT(*) AS n FROM oauth_clients WHERE client_id = ?").bind(victim.clientId).first("n")).toBe(1)
    for (const table of USER_OWNED_TABLES) expect(await rowsOf(table, bystander.user.id)).toBeGreaterThan(0)
    expect(await h.run(deleteUser({ adminUserId: ADMIN, userId: victim.user.id }))).toEqual({ deleted: false })
    expect(await h.fail(getUserDetail({ userId: victim.user.id }))).toMatchObject({ _tag: "NotFound" })
  })
})

describe("getUserDetail and exportUser", () => {
  it("detail: credential summary, roles, links", async () => {
    const h = makeHarness()
    const { user, roleId, providerId } = await fullUser(h)
    expect(await h.run(getUserDetail({ userId: user.id }))).toMatchObject({
      user: { id: user.id, disabled: false }, hasPassword: true, passkeyCount: 1, totpEnabled: true, recoveryCodesLeft: 2,
      roles: [{ id: roleId }], upstreamLinks: [{ providerId, subject: "upstream-sub" }]
    })
  })

  it("export: everything held about the user, audit entries included — and no key, secret or hash", async () => {
    const h = makeHarness()
    const { user, clientId, providerId, roleId } = await fullUser(h)
    const events: Array<AuditEvent> = Array.from({ length: 3 }, (_, i) => auditEvent({
      type: "sign_in.succeeded", actor: { kind: "user", id: user.id }, userId: user.id, details: { method: "password", i }, at: Date.now() + i
    }))
    for (const statement of auditInserts(env.DB, events)) await statement.run()
    h.audit.clear()
    const exported = await h.run(exportUser({ adminUserId: ADMIN, userId: user.id }))
    expect(exported).toMatchObject({
      user: { id: user.id, email: user.email, name: "Full User" },
      hasPassword: true,
      passkeys: [{ name: "YubiKey", transports: ["usb"] }],
      totp: { enabled: true },
      recoveryCodesLeft: 2,
      consents: [{ clientId, scopes: ["openid", "email"] }],
      upstreamLinks: [{ providerId, subject: "upstream-sub" }],
      roles: [{ id: roleId }],
      customFields: [{ name: "department", value: "R&D" }],
      auditTruncated: false
    })
    expect(exported.audit.map((e) => e.id)).toEqual(events.map((e) => e.id).reverse())
    expect(exported.audit[0]).toMatchObject({ type: "sign_in.succeeded", details: { method: "password", i: 2 } })
    const text = JSON.stringify(exported)
    for (const secret of ["PUBLICKEYMATERIAL", "TOTPCIPHERTEXT", "RECOVERYHASH", "RESETHASH", "CHANGEHASH", "pbkdf2"]) expect(text).not.toContain(secret)
    expect(h.audit.events()).toMatchObject([{ type: "admin.action", actor: { kind: "admin", id: ADMIN }, userId: user.id, details: { operation: "user.exported" } }])
    expect(await h.fail(exportUser({ adminUserId: ADMIN, userId: "no-such-user" }))).toMatchObject({ _tag: "NotFound" })
  })
})

describe("resetUserMfa", () => {
  it("removes TOTP and recovery codes (not passkeys) in one batch, audited; again → removed: false; unknown user → NotFound", async () => {
    const h = makeHarness()
    const { user } = await fullUser(h)
    h.audit.clear()
    expect(await h.run(resetUserMfa({ adminUserId: ADMIN, userId: user.id }))).toEqual({ removed: true })
    expect(await rowsOf("user_totp", user.id)).toBe(0)
    expect(await rowsOf("user_recovery_codes", user.id)).toBe(0)
    expect(await rowsOf("passkeys", user.id)).toBe(1)
    expect(await h.run(getUserDetail({ userId: user.id }))).toMatchObject({ totpEnabled: false, recoveryCodesLeft: 0, passkeyCount: 1 })
    expect(h.audit.events()).toMatchObject([{ type: "admin.action", actor: { kind: "admin", id: ADMIN }, details: { operation: "user.mfa_reset", removed: true } }])
    expect(await h.run(resetUserMfa({ adminUserId: ADMIN, userId: user.id }))).toEqual({ removed: false })
    expect(await h.fail(resetUserMfa({ adminUserId: ADMIN, userId: "no-such-user" }))).toMatchObject({ _tag: "NotFound" })
  })
})

describe("consents", () => {
  it("list, revoke (consent.revoked by the admin), revoke again is a no-op", async () => {
    const h = makeHarness()
    const { user, clientId } = await fullUser(h)
    expect((await h.run(listConsents({ userId: user.id }))).consents).toMatchObject([{ clientId, scopes: ["openid", "email"] }])
    h.audit.clear()
    expect(await h.run(revokeConsent({ adminUserId: ADMIN, userId: user.id, clientId }))).toEqual({ revoked: true })
    expect(h.audit.events()).toMatchObject([{
      type: "consent.revoked", actor: { kind: "admin", id: ADMIN }, userId: user.id, clientId, subject: { kind: "client", id: clientId },
      details: { scope: "openid email" }
    }])
    expect((await h.run(listConsents({ userId: user.id }))).consents).toEqual([])
    expect(await h.run(revokeConsent({ adminUserId: ADMIN, userId: user.id, clientId }))).toEqual({ revoked: false })
    expect(await h.fail(listConsents({ userId: "no-such-user" }))).toMatchObject({ _tag: "NotFound" })
  })
})

describe("audit: every admin write is admin.action by the acting admin", () => {
  it("create, update, disable, enable, delete each record one event naming the operation; no password in any", async () => {
    const h = makeHarness()
    const user = await h.run(createUser({ adminUserId: ADMIN, email: `${unique("aud")}@example.com`, password: PASSWORD }))
    const updated = await h.run(updateUser({ adminUserId: ADMIN, userId: user.id, expectedVersion: 1, name: "New", emailVerified: true }))
    await h.run(setUserDisabled({ adminUserId: ADMIN, userId: user.id, disabled: true }))
    await h.run(setUserDisabled({ adminUserId: ADMIN, userId: user.id, disabled: false }))
    await h.run(deleteUser({ adminUserId: ADMIN, userId: user.id }))
    const events = h.audit.events()
    expect(h.audit.batches.every((b) => b.length === 1)).toBe(true)
    expect(events.map((e) => [e.type, e.details["operation"]])).toEqual([
      ["admin.action", "user.created"], ["admin.action", "user.updated"], ["admin.action", "user.disabled"],
      ["admin.action", "user.enabled"], ["admin.action", "user.deleted"]
    ])
    for (const e of events) expect(e).toMatchObject({ actor: { kind: "admin", id: ADMIN }, userId: user.id, subject: { kind: "user", id: user.id }, outcome: "success" })
    expect(events[1]!.details).toMatchObject({ fields: "name email_verified", version: updated.version })
    expect(JSON.stringify(events)).not.toContain(PASSWORD)
  })
})

describe("disabled accounts", () => {
  it("setUserDisabled is idempotent and moves the version; a disabled user's password sign-in is the generic InvalidCredentials", async () => {
    const h = makeHarness()
    const email = `${unique("dis")}@example.com`
    const user = await h.run(createUser({ adminUserId: ADMIN, email, password: PASSWORD }))
    const first = await h.run(setUserDisabled({ adminUserId: ADMIN, userId: user.id, disabled: true }))
    expect(first).toMatchObject({ changed: true, user: { disabled: true, version: 2 } })
    const again = await h.run(setUserDisabled({ adminUserId: ADMIN, userId: user.id, disabled: true }))
    expect(again).toMatchObject({ changed: false, user: { disabled: true, disabledAt: first.user.disabledAt, version: 2 } })
    h.audit.clear()
    expect(await h.fail(authenticatePassword({ email, password: PASSWORD }))).toMatchObject({ _tag: "InvalidCredentials" })
    expect(h.audit.events()).toMatchObject([{ type: "sign_in.failed", details: { reason: "account_disabled" } }])
    await h.run(setUserDisabled({ adminUserId: ADMIN, userId: user.id, disabled: false }))
    expect((await h.run(authenticatePassword({ email, password: PASSWORD }))).id).toBe(user.id)
    expect(await h.fail(setUserDisabled({ adminUserId: ADMIN, userId: "no-such-user", disabled: true }))).toMatchObject({ _tag: "NotFound" })
  })

  it("the second-factor step refuses a user disabled after the first factor, with the disabled message", async () => {
    const h = makeHarness()
    const user = await h.run(createUser({ adminUserId: ADMIN, email: `${unique("tf")}@example.com` }))
    await env.DB.prepare("INSERT INTO user_totp (user_id, secret_ciphertext, confirmed_at, created_at, updated_at) VALUES (?, 'v1.x.y', 1, 1, 1)").bind(user.id).run()
    await h.run(setUserDisabled({ adminUserId: ADMIN, userId: user.id, disabled: true }))
    const failure = await h.fail(verifySecondFactor({ userId: user.id, code: "123456" }).pipe(Effect.provide(mfaKeyLayer(env))))
    expect(failure).toMatchObject({ _tag: "OAuthError", code: "access_denied", description: ACCOUNT_DISABLED_DESCRIPTION })
  })
})
