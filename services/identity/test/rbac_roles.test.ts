import { AlreadyExists, NotFound, VersionMismatch } from "@authrim/contracts"
import { env } from "cloudflare:test"
import { describe, expect, it } from "vitest"
import { createRole, deleteRole, getRole, listRoles, updateRole } from "../src/rbac/role_administration.ts"
import { assignRole, getUserPermissions, listUserRoles, unassignRole } from "../src/rbac/user_role_assignment.ts"
import { getUserClaims } from "../src/users/user_claims.ts"
import { upsertUser } from "../src/users/users.ts"
import { makeHarness, unique } from "./identity_harness.ts"

const ADMIN = "admin-user-1"

describe("RBAC storage — roles (issue 12 §3)", () => {
  it("creates a role at version 1, lists and reads it; a taken name is AlreadyExists", async () => {
    const h = makeHarness()
    const name = unique("auditors")
    const role = await h.run(createRole({ role: { name, description: "read the log", permissions: ["audit:read"] }, actorId: ADMIN }))
    expect(role).toMatchObject({ name, description: "read the log", permissions: ["audit:read"], version: 1 })
    expect(await h.run(getRole({ roleId: role.id }))).toEqual(role)
    expect((await h.run(listRoles())).roles.map((r) => r.id)).toContain(role.id)
    expect(await h.fail(createRole({ role: { name, permissions: [] }, actorId: ADMIN }))).toBeInstanceOf(AlreadyExists)
    expect(h.audit.events().map((e) => [e.type, e.actor, e.details["action"]])).toEqual([["admin.action", { kind: "admin", id: ADMIN }, "role.created"]])
  })

  it("updates only at the expected version; a stale version changes nothing", async () => {
    const h = makeHarness()
    const role = await h.run(createRole({ role: { name: unique("ops"), permissions: ["keys:read"] }, actorId: ADMIN }))
    const updated = await h.run(updateRole({ roleId: role.id, expectedVersion: 1, changes: { permissions: ["keys:read", "keys:write"] }, actorId: ADMIN }))
    expect(updated).toMatchObject({ version: 2, permissions: ["keys:read", "keys:write"], name: role.name })
    const stale = await h.fail(updateRole({ roleId: role.id, expectedVersion: 1, changes: { permissions: [] }, actorId: ADMIN }))
    expect(stale).toEqual(new VersionMismatch({ what: "role", currentVersion: 2 }))
    expect((await h.run(getRole({ roleId: role.id }))).permissions).toEqual(["keys:read", "keys:write"])
    expect(await h.fail(updateRole({ roleId: "nope", expectedVersion: 1, changes: {}, actorId: ADMIN }))).toBeInstanceOf(NotFound)
  })

  it("renaming onto another role's name is AlreadyExists and writes nothing", async () => {
    const h = makeHarness()
    const a = await h.run(createRole({ role: { name: unique("a"), permissions: [] }, actorId: ADMIN }))
    const b = await h.run(createRole({ role: { name: unique("b"), permissions: [] }, actorId: ADMIN }))
    expect(await h.fail(updateRole({ roleId: b.id, expectedVersion: 1, changes: { name: a.name }, actorId: ADMIN }))).toBeInstanceOf(AlreadyExists)
    expect(await h.run(getRole({ roleId: b.id }))).toEqual(b)
  })

  it("of 10 concurrent updates at one version exactly one wins", async () => {
    const h = makeHarness()
    const role = await h.run(createRole({ role: { name: unique("race"), permissions: [] }, actorId: ADMIN }))
    const outcomes = await Promise.allSettled(Array.from({ length: 10 }, (_, i) =>
      h.run(updateRole({ roleId: role.id, expectedVersion: 1, changes: { description: `writer ${i}` }, actorId: ADMIN }))))
    expect(outcomes.filter((o) => o.status === "fulfilled")).toHaveLength(1)
    expect((await h.run(getRole({ roleId: role.id }))).version).toBe(2)
  })

  it("a permission outside the vocabulary stored by hand is never granted", async () => {
    const h = makeHarness()
    const role = await h.run(createRole({ role: { name: unique("odd"), permissions: ["users:read"] }, actorId: ADMIN }))
    await env.DB.prepare("UPDATE roles SET permissions_json = ? WHERE id = ?").bind(JSON.stringify(["users:read", "root"]), role.id).run()
    expect((await h.run(getRole({ roleId: role.id }))).permissions).toEqual(["users:read"])
  })
})

describe("RBAC storage — user roles and permissions", () => {
  const newUser = (h: ReturnType<typeof makeHarness>) =>
    h.run(upsertUser({ email: `${unique("rbac")}@example.test`, password: null, name: "R", emailVerified: true }))

  it("a user's permissions are the union of their roles'; unassigning takes effect on the next read", async () => {
    const h = makeHarness()
    const user = await newUser(h)
    const readers = await h.run(createRole({ role: { name: unique("readers"), permissions: ["admin:read"] }, actorId: ADMIN }))
    const writers = await h.run(createRole({ role: { name: unique("writers"), permissions: ["clients:write", "admin:read"] }, actorId: ADMIN }))
    expect(await h.run(getUserPermissions({ userId: user.id }))).toEqual({ permissions: [], roles: [] })
    expect(await h.run(assignRole({ userId: user.id, roleId: readers.id, actorId: ADMIN }))).toEqual({ assigned: true })
    expect(await h.run(assignRole({ userId: user.id, roleId: readers.id, actorId: ADMIN }))).toEqual({ assigned: false })
    await h.run(assignRole({ userId: user.id, roleId: writers.id, actorId: ADMIN }))
    const held = await h.run(getUserPermissions({ userId: user.id }))
    expect([...held.permissions].sort()).toEqual(["admin:read", "clients:write"])
    expect([...held.roles].sort()).toEqual([readers.name, writers.name].sort())
    expect((await h.run(listUserRoles({ userId: user.id }))).roles.map((r) => r.id).sort()).toEqual([readers.id, writers.id].sort())
    expect(await h.run(unassignRole({ userId: user.id, roleId: writers.id, actorId: ADMIN }))).toEqual({ removed: true })
    expect((await h.run(getUserPermissions({ userId: user.id }))).permissions).toEqual(["admin:read"])
    const actions = h.audit.events().filter((e) => e.userId === user.id).map((e) => e.details["action"])
    expect(actions).toEqual(["user_role.assigned", "user_role.assigned", "user_role.removed"])
  })

  it("unknown users and roles are NotFound; deleting a role (at its version) removes its assignments", async () => {
    const h = makeHarness()
    const user = await newUser(h)
    const role = await h.run(createRole({ role: { name: unique("temp"), permissions: ["roles:read"] }, actorId: ADMIN }))
    expect(await h.fail(assignRole({ userId: "no-such-user", roleId: role.id, actorId: ADMIN }))).toEqual(new NotFound({ what: "user" }))
    expect(await h.fail(assignRole({ userId: user.id, roleId: "no-such-role", actorId: ADMIN }))).toEqual(new NotFound({ what: "role" }))
    expect(await h.fail(listUserRoles({ userId: "no-such-user" }))).toBeInstanceOf(NotFound)
    await h.run(assignRole({ userId: user.id, roleId: role.id, actorId: ADMIN }))
    expect(await h.fail(deleteRole({ roleId: role.id, expectedVersion: 7, actorId: ADMIN }))).toBeInstanceOf(VersionMismatch)
    expect((await h.run(getUserPermissions({ userId: user.id }))).permissions).toEqual(["roles:read"])
    await h.run(deleteRole({ roleId: role.id, expectedVersion: 1, actorId: ADMIN }))
    expect(await h.run(getUserPermissions({ userId: user.id }))).toEqual({ permissions: [], roles: [] })
    expect(await h.fail(getRole({ roleId: role.id }))).toBeInstanceOf(NotFound)
  })

  it("scope `roles` releases the `roles` claim: the names of the user's roles (scope_mappings, migration 0012)", async () => {
    const h = makeHarness()
    const user = await newUser(h)
    const role = await h.run(createRole({ role: { name: unique("claimed"), permissions: [] }, actorId: ADMIN }))
    expect(await h.run(getUserClaims({ userId: user.id, scopes: ["openid", "roles"] }))).toEqual({ sub: user.id })
    await h.run(assignRole({ userId: user.id, roleId: role.id, actorId: ADMIN }))
    expect(await h.run(getUserClaims({ userId: user.id, scopes: ["openid", "roles"] }))).toEqual({ sub: user.id, roles: [role.name] })
    expect(await h.run(getUserClaims({ userId: user.id, scopes: ["openid"] }))).toEqual({ sub: user.id })
  })
})
