/**
 * `searchUsers` (issue 12 §1): filter by exact id, case-insensitive email
 * prefix and/or case-insensitive name substring, keyset-paginated.
 *
 * Order and indexes (see storage-schema.md): with an `email` filter the page
 * is a range of the `users_email` index (`email COLLATE NOCASE`, unique, so
 * the order is total and stable): `email >= prefix AND email < prefix ||
 * U+10FFFF`, after the cursor's email. Otherwise the order is the primary key
 * `id`, after the cursor's id; a `name` filter is then checked on each row of
 * that walk (a substring cannot use an index; the walk stops after `limit + 1`
 * matches). An `id` filter is one primary-key lookup.
 *
 * The cursor is opaque to callers: base64url JSON of the filter it belongs
 * to and the last key of the page. Keyset pagination never skips or repeats
 * a user that exists throughout, whatever is inserted or deleted meanwhile.
 */
import { tryD1, UserAdminInvalidInput, type UserAdminContract } from "@authrim/contracts"
import { Effect } from "effect"
import { IdentityBindings, serviceName } from "../identity_bindings.ts"
import { ADMIN_USER_COLUMNS, adminUserFromRow, MAX_NAME_LENGTH, type AdminUserRow } from "./user_admin_row.ts"

type SearchInput = typeof UserAdminContract.searchUsers.input.Type

/** Page size bounds: one page is one D1 query reading at most `limit + 1` matching rows. */
export const DEFAULT_SEARCH_LIMIT = 20
export const MAX_SEARCH_LIMIT = 100
/** The largest code point: `prefix || U+10FFFF` is above every string that starts with `prefix`. */
const ABOVE_EVERY_SUFFIX = "\u{10FFFF}"

interface Filter {
  readonly id: string | null
  readonly email: string | null
  readonly name: string | null
}

const blankToNull = (value: string | undefined): string | null => {
  const trimmed = value?.trim() ?? ""
  return trimmed === "" ? null : trimmed
}

const filterKey = (f: Filter) => JSON.stringify([f.id, f.email?.toLowerCase() ?? null, f.name?.toLowerCase() ?? null])

const base64url = (text: string) => btoa(String.fromCharCode(...new TextEncoder().encode(text))).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "")
const fromBase64url = (text: string) => new TextDecoder().decode(Uint8Array.from(atob(text.replace(/-/g, "+").replace(/_/g, "/")), (c) => c.charCodeAt(0)))

const encodeCursor = (filter: Filter, lastKey: string) => base64url(JSON.stringify({ f: filterKey(filter), k: lastKey }))

const badCursor = new UserAdminInvalidInput({ field: "cursor", reason: "is not a cursor of this search" })

const decodeCursor = (cursor: string, filter: Filter): Effect.Effect<string, UserAdminInvalidInput> =>
  Effect.try({ try: () => JSON.parse(fromBase64url(cursor)) as unknown, catch: () => badCursor }).pipe(
    Effect.flatMap((value) => {
      if (typeof value !== "object" || value === null) return Effect.fail(badCursor)
      const { f, k } = value as { f?: unknown; k?: unknown }
      return f === filterKey(filter) && typeof k === "string" ? Effect.succeed(k) : Effect.fail(badCursor)
    })
  )

const escapeLike = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`)

const checkInput = Effect.fnUntraced(function*(input: SearchInput) {
  const limit = input.limit ?? DEFAULT_SEARCH_LIMIT
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_SEARCH_LIMIT) {
    return yield* new UserAdminInvalidInput({ field: "limit", reason: `must be an integer from 1 to ${MAX_SEARCH_LIMIT}` })
  }
  const filter: Filter = { id: blankToNull(input.id), email: blankToNull(input.email), name: blankToNull(input.name) }
  if (filter.id !== null && filter.id.length > 100) return yield* new UserAdminInvalidInput({ field: "id", reason: "is too long" })
  if (filter.email !== null && filter.email.length > 254) return yield* new UserAdminInvalidInput({ field: "email", reason: "is too long" })
  if (filter.name !== null && filter.name.length > MAX_NAME_LENGTH) return yield* new UserAdminInvalidInput({ field: "name", reason: "is too long" })
  const after = input.cursor === undefined || input.cursor === "" ? null : yield* decodeCursor(input.cursor, filter)
  return { limit, filter, after }
})

/** One page of users matching the filters, and the cursor of the next page (null on the last). */
export const searchUsers = Effect.fnUntraced(function*(input: SearchInput) {
  const { limit, filter, after } = yield* checkInput(input)
  const where: Array<string> = []
  const params: Array<string | number> = []
  const byEmail = filter.email !== null
  if (filter.id !== null) {
    where.push("id = ?")
    params.push(filter.id)
  }
  if (filter.email !== null) {
    where.push("email >= ? COLLATE NOCASE", "email < ? COLLATE NOCASE")
    params.push(filter.email, filter.email + ABOVE_EVERY_SUFFIX)
  }
  if (filter.name !== null) {
    where.push("name LIKE ? ESCAPE '\\'")
    params.push(`%${escapeLike(filter.name)}%`)
  }
  if (after !== null) {
    where.push(byEmail ? "email > ? COLLATE NOCASE" : "id > ?")
    params.push(after)
  }
  const sql = `SELECT ${ADMIN_USER_COLUMNS} FROM users${where.length === 0 ? "" : ` WHERE ${where.join(" AND ")}`}
    ORDER BY ${byEmail ? "email COLLATE NOCASE" : "id"} LIMIT ?`
  const { db } = yield* IdentityBindings
  const { results } = yield* tryD1(serviceName, "users.adminSearch", () => db.prepare(sql).bind(...params, limit + 1).all<AdminUserRow>())
  const page = results.slice(0, limit)
  const last = page[page.length - 1]
  const nextCursor = results.length > limit && last !== undefined ? encodeCursor(filter, byEmail ? last.email : last.id) : null
  return { users: page.map(adminUserFromRow), nextCursor }
})
