import { AlreadyExists, NotFound, UserAdminInvalidInput, VersionMismatch } from "@authrim/contracts"
import { env } from "cloudflare:test"
import { describe, expect, it } from "vitest"
import {
  createCustomFieldDefinition, deleteCustomFieldDefinition, getCustomFieldDefinition, listCustomFieldDefinitions, updateCustomFieldDefinition
} from "../src/custom_fields/custom_field_definitions.ts"
import { unsafePatternReason } from "../src/custom_fields/custom_field_rules.ts"
import { deleteScopeMapping, listScopeMappings, putScopeMapping } from "../src/custom_fields/scope_mapping_administration.ts"
import { getUserCustomFields, updateUserCustomFields } from "../src/custom_fields/user_custom_field_values.ts"
import { getUserClaims } from "../src/users/user_claims.ts"
import { SCOPE_MAPPING_TTL_MS } from "../src/users/scope_mapping_cache.ts"
import { upsertUser } from "../src/users/users.ts"
import { makeHarness, unique } from "./identity_harness.ts"

const ADMIN = "admin-user-1"
const admin = { kind: "admin", adminUserId: ADMIN } as const
const labels = { en: "Label", ja: "ラベル" }
const fieldName = (prefix: string) => `${prefix}_${crypto.randomUUID().replaceAll("-", "").slice(0, 8)}`

const newUser = (h: ReturnType<typeof makeHarness>) =>
  h.run(upsertUser({ email: `${unique("cf")}@example.test`, password: null, name: "C", emailVerified: true }))

describe("Custom field definitions (issue 12 §4)", () => {
  it("creates at version 1, reads, lists, updates at the expected version only; a taken name is AlreadyExists", async () => {
    const h = makeHarness()
    const name = fieldName("dept")
    const created = await h.run(createCustomFieldDefinition({
      definition: { name, type: "string", validation: { maxLength: 40, pattern: "[A-Za-z ]+" }, labels, userEditable: true }, actorId: ADMIN
    }))
    expect(created).toMatchObject({ name, type: "string", validation: { maxLength: 40, pattern: "[A-Za-z ]+" }, labels, userEditable: true, required: false, version: 1 })
    expect(await h.run(getCustomFieldDefinition({ name }))).toEqual(created)
    expect((await h.run(listCustomFieldDefinitions())).definitions.map((d) => d.name)).toContain(name)
    expect(await h.fail(createCustomFieldDefinition({ definition: { name, type: "number", labels }, actorId: ADMIN }))).toBeInstanceOf(AlreadyExists)

    const updated = await h.run(updateCustomFieldDefinition({ name, expectedVersion: 1, changes: { labels: { en: "Department", ja: "部署" }, required: true }, actorId: ADMIN }))
    expect(updated).toMatchObject({ version: 2, labels: { en: "Department", ja: "部署" }, required: true, userEditable: true })
    expect(await h.fail(updateCustomFieldDefinition({ name, expectedVersion: 1, changes: { userEditable: false }, actorId: ADMIN })))
      .toEqual(new VersionMismatch({ what: "custom field", currentVersion: 2 }))
    expect(await h.fail(getCustomFieldDefinition({ name: "no_such_field" }))).toBeInstanceOf(NotFound)
    expect(h.audit.events().map((e) => [e.type, e.actor, e.details["action"]])).toEqual([
      ["admin.action", { kind: "admin", id: ADMIN }, "custom_field.created"],
      ["admin.action", { kind: "admin", id: ADMIN }, "custom_field.updated"]
    ])
  })

  it("refuses validation that does not fit the type, unsafe patterns, bad enums and bad labels — naming the member", async () => {
    const h = makeHarness()
    const refused = async (definition: Parameters<typeof createCustomFieldDefinition>[0]["definition"]) =>
      (await h.fail(createCustomFieldDefinition({ definition, actorId: ADMIN })) as UserAdminInvalidInput).field
    expect(await refused({ name: fieldName("n"), type: "number", validation: { pattern: "\\d+" }, labels })).toBe("validation.pattern")
    expect(await refused({ name: fieldName("s"), type: "string", validation: { pattern: "(a+)+$" }, labels })).toBe("validation.pattern")
    expect(await refused({ name: fieldName("s"), type: "string", validation: { pattern: "(x)\\1" }, labels })).toBe("validation.pattern")
    expect(await refused({ name: fieldName("s"), type: "string", validation: { pattern: "[unclosed" }, labels })).toBe("validation.pattern")
    expect(await refused({ name: fieldName("s"), type: "string", validation: { maxLength: 0 }, labels })).toBe("validation.maxLength")
    expect(await refused({ name: fieldName("n"), type: "number", validation: { min: 5, max: 1 }, labels })).toBe("validation.max")
    expect(await refused({ name: fieldName("e"), type: "enum", labels })).toBe("validation.enumValues")
    expect(await refused({ name: fieldName("e"), type: "enum", validation: { enumValues: ["a", "a"] }, labels })).toBe("validation.enumValues")
    expect(await refused({ name: fieldName("e"), type: "enum", validation: { enumValues: ["ok", "bad\u0000"] }, labels })).toBe("validation.enumValues.1")
    expect(await refused({ name: "given_name", type: "string", labels })).toBe("name")
    expect(await refused({ name: fieldName("s"), type: "string", labels: { en: "", ja: "x" } })).toBe("labels.en")
    expect(await refused({ name: fieldName("s"), type: "string", labels: { en: "x", ja: "\u0007" } })).toBe("labels.ja")
    expect(h.audit.events()).toEqual([])
  })

  it("pattern safety: nested quantifiers and lookbehind refused, ordinary patterns accepted", () => {
    expect(unsafePatternReason("([a-z]+)*")).not.toBeNull()
    expect(unsafePatternReason("(?:\\w{2,})+x")).not.toBeNull()
    expect(unsafePatternReason("(?<=a)b")).not.toBeNull()
    expect(unsafePatternReason("[A-Z]{2}-\\d{4}")).toBeNull()
    expect(unsafePatternReason("(ab|cd)+")).toBeNull()
    expect(unsafePatternReason("[(+*)]+")).toBeNull()
  })
})

describe("Custom field values — checked against the definition on every write", () => {
  it("stores typed values canonically, clears with null, refuses undefined names and ugly input without writing anything", async () => {
    const h = makeHarness()
    const user = await newUser(h)
    const [text, count, flag, day, choice] = [fieldName("t"), fieldName("n"), fieldName("b"), fieldName("d"), fieldName("e")]
    await h.run(createCustomFieldDefinition({ definition: { name: text, type: "string", validation: { maxLength: 5, pattern: "[a-z]+" }, labels, userEditable: true }, actorId: ADMIN }))
    await h.run(createCustomFieldDefinition({ definition: { name: count, type: "number", validation: { min: 0, max: 10 }, labels }, actorId: ADMIN }))
    await h.run(createCustomFieldDefinition({ definition: { name: flag, type: "boolean", labels }, actorId: ADMIN }))
    await h.run(createCustomFieldDefinition({ definition: { name: day, type: "date", labels }, actorId: ADMIN }))
    await h.run(createCustomFieldDefinition({ definition: { name: choice, type: "enum", validation: { enumValues: ["red", "blue"] }, labels, required: true }, actorId: ADMIN }))

    const written = await h.run(updateUserCustomFields({ userId: user.id, values: { [text]: "abc", [count]: "7.5", [flag]: "true", [day]: "2024-02-29", [choice]: "blue" }, editor: admin }))
    expect(written.values).toEqual({ [text]: "abc", [count]: 7.5, [flag]: true, [day]: "2024-02-29", [choice]: "blue" })
    const stored = await env.DB.prepare("SELECT field_value FROM user_custom_fields WHERE user_id = ? AND field_name = ?").bind(user.id, count).first<{ field_value: string }>()
    expect(stored?.field_value).toBe("7.5")

    const ugly: Array<[string, unknown]> = [
      [text, "toolong"], [text, "ABC"], [text, "ab\u0000"], [text, 12],
      [count, "1e3"], [count, "0x10"], [count, "Infinity"], [count, 11], [count, -1], [count, true],
      [flag, "yes"], [flag, 1],
      [day, "2023-02-29"], [day, "2024-13-01"], [day, "yesterday"],
      [choice, "green"], [choice, null], ["undefined_field_x", "v"]
    ]
    for (const [name, value] of ugly) {
      const failure = await h.fail(updateUserCustomFields({ userId: user.id, values: { [text]: "zz", [name]: value as string }, editor: admin }))
      expect(failure, `${name}=${JSON.stringify(value)}`).toBeInstanceOf(UserAdminInvalidInput)
      expect((failure as UserAdminInvalidInput).field).toBe(`values.${name}`)
    }
    // All or nothing: "zz" was never written beside a refused value.
    expect((await h.run(getUserCustomFields({ userId: user.id }))).values[text]).toBe("abc")

    const cleared = await h.run(updateUserCustomFields({ userId: user.id, values: { [text]: null, [flag]: false }, editor: admin }))
    expect(cleared.values[text]).toBeUndefined()
    expect(cleared.values[flag]).toBe(false)
    expect(await h.fail(updateUserCustomFields({ userId: "no-such-user", values: { [text]: "a" }, editor: admin }))).toBeInstanceOf(NotFound)
    const audited = h.audit.events().filter((e) => e.details["action"] === "custom_fields.updated")
    expect(audited).toHaveLength(2)
    expect(JSON.stringify(audited)).not.toContain("blue")
  })

  it("the user may write only user-editable fields", async () => {
    const h = makeHarness()
    const user = await newUser(h)
    const [editable, locked] = [fieldName("ed"), fieldName("lk")]
    await h.run(createCustomFieldDefinition({ definition: { name: editable, type: "string", labels, userEditable: true }, actorId: ADMIN }))
    await h.run(createCustomFieldDefinition({ definition: { name: locked, type: "string", labels }, actorId: ADMIN }))
    const refused = await h.fail(updateUserCustomFields({ userId: user.id, values: { [editable]: "x", [locked]: "y" }, editor: { kind: "self" } }))
    expect(refused).toEqual(new UserAdminInvalidInput({ field: `values.${locked}`, reason: "cannot be changed by the user" }))
    expect((await h.run(updateUserCustomFields({ userId: user.id, values: { [editable]: "x" }, editor: { kind: "self" } }))).values).toEqual({ [editable]: "x" })
    expect(h.audit.events().map((e) => [e.type, e.actor])).toContainEqual(["profile.updated", { kind: "user", id: user.id }])
  })
})

describe("Release through scope_mappings, typed", () => {
  it("a new mapping is released on the next claims read (cache dropped), typed; deleting the definition removes values and mappings in one go", async () => {
    const h = makeHarness()
    const user = await newUser(h)
    const [count, flag] = [fieldName("n"), fieldName("b")]
    const scope = unique("org")
    await h.run(createCustomFieldDefinition({ definition: { name: count, type: "number", labels }, actorId: ADMIN }))
    await h.run(createCustomFieldDefinition({ definition: { name: flag, type: "boolean", labels }, actorId: ADMIN }))
    await h.run(updateUserCustomFields({ userId: user.id, values: { [count]: 42, [flag]: true }, editor: admin }))
    // Warm the mapping cache first: the put must drop it.
    expect(await h.run(getUserClaims({ userId: user.id, scopes: ["openid", scope] }))).toEqual({ sub: user.id })
    const put = await h.run(putScopeMapping({ scope, claimName: "headcount", source: { sourceTable: "user_custom_fields", sourceColumn: count }, actorId: ADMIN }))
    expect(put).toEqual({ mapping: { scope, claimName: "headcount", sourceTable: "user_custom_fields", sourceColumn: count }, created: true })
    await h.run(putScopeMapping({ scope, claimName: "is_manager", source: { sourceTable: "user_custom_fields", sourceColumn: flag }, actorId: ADMIN }))
    expect(await h.run(getUserClaims({ userId: user.id, scopes: ["openid", scope] }))).toEqual({ sub: user.id, headcount: 42, is_manager: true })

    // Replace: same key, another source.
    expect((await h.run(putScopeMapping({ scope, claimName: "headcount", source: { sourceTable: "users", sourceColumn: "email" }, actorId: ADMIN }))).created).toBe(false)
    expect((await h.run(getUserClaims({ userId: user.id, scopes: [scope] })))["headcount"]).toBe(user.email)
    await h.run(deleteScopeMapping({ scope, claimName: "headcount", actorId: ADMIN }))
    expect(await h.fail(deleteScopeMapping({ scope, claimName: "headcount", actorId: ADMIN }))).toBeInstanceOf(NotFound)

    const removed = await h.run(deleteCustomFieldDefinition({ name: flag, expectedVersion: 1, actorId: ADMIN }))
    expect(removed).toEqual({ valuesRemoved: 1, mappingsRemoved: 1 })
    expect(await h.run(getUserClaims({ userId: user.id, scopes: [scope] }))).toEqual({ sub: user.id })
    expect((await h.run(listScopeMappings())).mappings.filter((m) => m.scope === scope)).toEqual([])
    expect(await h.fail(deleteCustomFieldDefinition({ name: count, expectedVersion: 9, actorId: ADMIN }))).toEqual(new VersionMismatch({ what: "custom field", currentVersion: 1 }))
  })

  it("another isolate's copy of the mappings follows within SCOPE_MAPPING_TTL_MS (60 s), the writing isolate at once", async () => {
    const writer = makeHarness()
    const other = makeHarness()
    const user = await newUser(writer)
    const name = fieldName("iso")
    const scope = unique("iso")
    await writer.run(createCustomFieldDefinition({ definition: { name, type: "string", labels }, actorId: ADMIN }))
    await writer.run(updateUserCustomFields({ userId: user.id, values: { [name]: "v" }, editor: admin }))
    expect(await other.run(getUserClaims({ userId: user.id, scopes: [scope] }))).toEqual({ sub: user.id })
    await writer.run(putScopeMapping({ scope, claimName: "iso_claim", source: { sourceTable: "user_custom_fields", sourceColumn: name }, actorId: ADMIN }))
    expect(await writer.run(getUserClaims({ userId: user.id, scopes: [scope] }))).toEqual({ sub: user.id, iso_claim: "v" })
    expect(await other.run(getUserClaims({ userId: user.id, scopes: [scope] }))).toEqual({ sub: user.id })
    other.clock.advance(SCOPE_MAPPING_TTL_MS)
    expect(await other.run(getUserClaims({ userId: user.id, scopes: [scope] }))).toEqual({ sub: user.id, iso_claim: "v" })
  })

  it("refuses protected claims and scopes, columns outside the allow-list, undefined fields and standard claims from custom fields", async () => {
    const h = makeHarness()
    const name = fieldName("x")
    await h.run(createCustomFieldDefinition({ definition: { name, type: "string", labels, userEditable: true }, actorId: ADMIN }))
    const field = async (scope: string, claimName: string, sourceTable: "users" | "user_custom_fields", sourceColumn: string) =>
      (await h.fail(putScopeMapping({ scope, claimName, source: { sourceTable, sourceColumn }, actorId: ADMIN })) as UserAdminInvalidInput).field
    expect(await field("profile", "sub", "users", "email")).toBe("claimName")
    expect(await field("profile", "iss", "users", "email")).toBe("claimName")
    expect(await field("profile", "roles", "user_custom_fields", name)).toBe("claimName")
    expect(await field("profile", "__proto__", "users", "address")).toBe("claimName")
    expect(await field("openid", "anything", "users", "email")).toBe("scope")
    expect(await field("bad scope", "x", "users", "email")).toBe("scope")
    expect(await field("profile", "pw", "users", "password_hash")).toBe("sourceColumn")
    expect(await field("profile", "x_claim", "user_custom_fields", "not_defined_zz")).toBe("sourceColumn")
    expect(await field("profile", "email", "user_custom_fields", name)).toBe("claimName")
    expect(await field("profile", "email_verified", "user_custom_fields", name)).toBe("claimName")
    expect((await h.fail(deleteScopeMapping({ scope: "openid", claimName: "sub", actorId: ADMIN })) as UserAdminInvalidInput).field).toBe("scope")
    expect(h.audit.events().filter((e) => String(e.details["action"]).startsWith("scope_mapping"))).toEqual([])
  })

  it("the user's values go with the user (foreign key cascade)", async () => {
    const h = makeHarness()
    const user = await newUser(h)
    const name = fieldName("gone")
    await h.run(createCustomFieldDefinition({ definition: { name, type: "string", labels }, actorId: ADMIN }))
    await h.run(updateUserCustomFields({ userId: user.id, values: { [name]: "v" }, editor: admin }))
    await env.DB.prepare("DELETE FROM users WHERE id = ?").bind(user.id).run()
    const left = await env.DB.prepare("SELECT COUNT(*) AS n FROM user_custom_fields WHERE user_id = ?").bind(user.id).first<{ n: number }>()
    expect(left?.n).toBe(0)
  })
})
