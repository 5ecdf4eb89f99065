/**
 * One operation of the admin API: its method and path, the permission it
 * needs, the Schemas of its query and body (which validate the request AND
 * generate the OpenAPI document, admin_openapi.ts — one source), its success
 * response, and its handler. Paths are relative to `/admin/api/v1` with
 * `{name}` segments.
 */
import type { Permission } from "@authrim/contracts"
import type { Effect, Schema } from "effect"
import type { Edge } from "../edge_layer.ts"
import type { RouteContext } from "../route_context.ts"
import type { AdminPrincipal } from "./admin_auth.ts"
import type { AdminFailure } from "./admin_problem.ts"

/** What a handler gets: the decoded request and the authenticated admin. */
export interface AdminCall<Q, B> {
  readonly params: Readonly<Record<string, string>>
  readonly query: Q
  readonly body: B
  readonly admin: AdminPrincipal
  /** The version `If-Match` names (-1 when it names none that can be current); null when absent (allowed only where `ifMatch` is false). */
  readonly ifMatch: number | null
  readonly ctx: RouteContext
}

/** A handler's answer; `etag` is the record's version (sent as `ETag`). */
export interface AdminReply {
  readonly status: number
  readonly body?: unknown
  readonly etag?: number
}


/** An operation, its types erased (the list the router and the OpenAPI document share). */
export interface AdminOperation {
  readonly method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE"
  readonly path: string
  readonly operationId: string
  readonly summary: string
  readonly tag: string
  readonly permission: Permission
  /** Query parameters: a Struct whose fields are (optional) strings. */
  readonly query?: Schema.Top
  /** JSON body (application/json); unknown fields are refused. */
  readonly body?: Schema.Top
  /**
   * A raw image body instead of JSON (any declared type: the owning service decides the kind from the bytes);
   * read with a cap, 413 beyond it before anything is stored. The handler's `body` is its `Uint8Array`.
   */
  readonly imageBody?: { readonly maxBytes: number }
  /** True: a write to an existing record; `If-Match` required (428 without, 412 when stale). */
  readonly ifMatch: boolean
  readonly success: { readonly status: number; readonly description: string; readonly schema?: Schema.Top; readonly etag?: boolean }
  /**
   * The handler, given the call as the router decoded it with `query` and `body`. Declared as a method: a list of
   * operations erases each one's query/body types, and the router only ever passes what that operation's Schemas decoded.
   */
  handle(call: AdminCall<unknown, unknown>): Effect.Effect<AdminReply, AdminFailure, Edge>
}

/** Declares an operation with its handler typed by its Schemas. */
export const adminOperation = <Q extends Schema.Top = Schema.Top, B extends Schema.Top = Schema.Top>(operation: Omit<AdminOperation, "handle" | "query" | "body"> & {
  readonly query?: Q
  readonly body?: B
  readonly handle: (call: AdminCall<Q["Type"], B["Type"]>) => Effect.Effect<AdminReply, AdminFailure, Edge>
}): AdminOperation => operation
