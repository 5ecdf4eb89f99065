/** The query of a cursor-paginated list: `cursor` (the previous page's `nextCursor`) and `limit` (1–200, default 50). */
import { Schema } from "effect"

/** Query parameters of every list. */
export const ListQuery = Schema.Struct({
  cursor: Schema.optional(Schema.String.check(Schema.isMaxLength(300))),
  limit: Schema.optional(Schema.String.check(Schema.isPattern(/^(?:[1-9]\d?|1\d\d|200)$/u, { description: "an integer from 1 to 200" })))
})

/** The page size asked for, or the default. */
export const listLimit = (query: { readonly limit?: string | undefined }): number => query.limit === undefined ? 50 : Number(query.limit)
