/**
 * IdentityDirectory (issue 13 §1) through the RPC envelope, as a consumer
 * Worker's binding sees it: the public profile (OIDC Core §5.1 public claims
 * only), the roles, a permission check that fails closed — and ugly input.
 */
import { DirectoryContract, makeClient, NotFound } from "@authrim/contracts"
import { env } from "cloudflare:test"
import { exports } from "cloudflare:workers"
import { Cause, Effect, Exit } from "effect"
import { describe, expect, it } from "vitest"
import { createRole } from "../src/rbac/role_administration.ts"
import { assignRole } from "../src/rbac/user_role_assignment.ts"
import { upsertUser } from "../src/users/users.ts"
import { makeHarness, unique } from "./identity_harness.ts"

const directory = makeClient("identity", DirectoryContract, exports.IdentityDirectory)
const call = <A, E>(effect: Effect.Effect<A, E>) => Effect.runPromise(effect)
const failureOf = async <A, E>(effect: Effect.Effect<A, E>): Promise<E> => {
  const exit = await Effect.runPromiseExit(effect)
  if (Exit.isSuccess(exit)) throw new Error(`expected a failure, got ${JSON.stringify(exit.value)}`)
  const failure = exit.cause.reasons.find(Cause.isFailReason)
  if (failure === undefined) throw Cause.squash(exit.cause)
  return failure.error
}

const newUser = async (name: string | null = "Dana Directory") => {
  const h = makeHarness()
  return h.run(upsertUser({ email: `${unique("dir")}@example.com`, password: null, name, emailVerified: true }))
}

describe("getPublicProfile — OIDC Core §5.1 public claims only", () => {
  it("answers sub and the set public claims; never email, phone, address or birthdate", async () => {
    const user = await newUser()
    await env.DB.prepare(
      `UPDATE users SET given_name = 'Dana', family_name = 'Directory', preferred_username = 'dana', locale = 'en-GB',
       zoneinfo = 'Europe/London', picture = 'https://cdn.example/dana.png', phone_number = '+442071838750',
       birthdate = '1980-01-01', address = '{"country":"GB"}', nickname = '' WHERE id = ?`
    ).bind(user.id).run()
    expect(await call(directory.getPublicProfile({ userId: user.id }))).toEqual({
      sub: user.id, name: "Dana Directory", given_name: "Dana", family_name: "Directory", preferred_username: "dana",
      picture: "https://cdn.example/dana.png", locale: "en-GB", zoneinfo: "Europe/London"
    })
  })

  it("leaves unset claims out", async () => {
    const user = await newUser(null)
    expect(await call(directory.getPublicProfile({ userId: user.id }))).toEqual({ sub: user.id })
  })

  it("an unknown, empty or strange user id is NotFound", async () => {
    for (const userId of ["nobody", "", "' OR 1=1 --", "😀".repeat(300)]) {
      expect(await failureOf(directory.getPublicProfile({ userId }))).toBeInstanceOf(NotFound)
    }
  })
})

describe("getRoles and hasPermission — RBAC read fresh", () => {
  it("lists the user's role names; grants what a role holds (admin:read implies every read); fails closed otherwise", async () => {
    const h = makeHarness()
    const user = await newUser()
    expect(await call(directory.getRoles({ userId: user.id }))).toEqual({ roles: [] })
    expect(await call(directory.hasPermission({ userId: user.id, permission: "users:read" }))).toEqual({ granted: false })
    const viewer = await h.run(createRole({ role: { name: unique("viewer"), permissions: ["admin:read"] }, actorId: "admin-1" }))
    const editor = await h.run(createRole({ role: { name: unique("editor"), permissions: ["clients:write"] }, actorId: "admin-1" }))
    await h.run(assignRole({ userId: user.id, roleId: viewer.id, actorId: "admin-1" }))
    await h.run(assignRole({ userId: user.id, roleId: editor.id, actorId: "admin-1" }))
    expect(await call(directory.getRoles({ userId: user.id }))).toEqual({ roles: [editor.name, viewer.name].sort() })
    const granted = async (permission: string) => (await call(directory.hasPermission({ userId: user.id, permission }))).granted
    expect(await granted("users:read")).toBe(true)
    expect(await granted("clients:write")).toBe(true)
    expect(await granted("users:write")).toBe(false)
    expect(await granted("root")).toBe(false)
    expect(await granted("")).toBe(false)
    await env.DB.prepare("UPDATE users SET disabled_at = ? WHERE id = ?").bind(Date.now(), user.id).run()
    expect(await granted("clients:write")).toBe(false)
  })

  it("an unknown user has no roles (NotFound) and no permission", async () => {
    expect(await failureOf(directory.getRoles({ userId: "nobody" }))).toBeInstanceOf(NotFound)
    expect(await call(directory.hasPermission({ userId: "nobody", permission: "admin:read" }))).toEqual({ granted: false })
  })
})
