/**
 * What a console page handler receives, and how it runs an admin operation: by
 * `operationId`, through the admin API's own `invokeAdminOperation` — the same
 * permission check, `If-Match` rule, Schemas, handler, audit and problems as
 * `/admin/api/v1`, with the admin this request authenticated.
 */
import { Effect, Result } from "effect"
import type { AdminPrincipal } from "../admin/admin_auth.ts"
import type { AdminReply } from "../admin/admin_operation.ts"
import { adminOperations } from "../admin/admin_operations.ts"
import type { AdminProblem } from "../admin/admin_problem.ts"
import { invokeAdminOperation } from "../admin/admin_router.ts"
import type { Edge } from "../edge_layer.ts"
import type { RouteContext } from "../route_context.ts"
import type { ConsoleFrame } from "./console_layout.ts"

/** One console request, authenticated and (for a POST) CSRF-checked. */
export interface ConsoleCall {
  readonly request: Request
  readonly ctx: RouteContext
  readonly url: URL
  readonly admin: AdminPrincipal
  readonly frame: ConsoleFrame
  /** `{name}` segments of the route's path. */
  readonly params: Readonly<Record<string, string>>
  /** The posted form (empty for a GET). */
  readonly form: URLSearchParams
  /** The files of a multipart upload route (`ConsoleRoute.upload`), by field name. */
  readonly files?: ReadonlyMap<string, Uint8Array>
}

/** A console page: any problem it does not render itself becomes the console's problem page. */
export type ConsoleHandler = (call: ConsoleCall) => Effect.Effect<Response, AdminProblem, Edge>

const byId = new Map(adminOperations.map((operation) => [operation.operationId, operation]))

/** What an operation is given besides the admin. */
export interface OperationInput {
  readonly params?: Readonly<Record<string, string>>
  readonly query?: Readonly<Record<string, string>>
  readonly body?: unknown
  readonly ifMatch?: number | null
}

/** Runs admin operation `operationId` as the calling admin. */
export const runOperation = (call: ConsoleCall, operationId: string, input: OperationInput = {}): Effect.Effect<AdminReply, AdminProblem, Edge> => {
  const operation = byId.get(operationId)
  if (operation === undefined) return Effect.die(new Error(`no admin operation ${operationId}`))
  return invokeAdminOperation(operation, { admin: call.admin, ctx: call.ctx, ...input })
}

/** {@link runOperation}, its problem kept as a value (to show on the page). */
export const tryOperation = (call: ConsoleCall, operationId: string, input: OperationInput = {}) =>
  Effect.map(Effect.result(runOperation(call, operationId, input)), (result) =>
    Result.isSuccess(result) ? { ok: true as const, reply: result.success } : { ok: false as const, problem: result.failure })

/** The body of a reply as `T` (the operation's success Schema is `T`'s). */
export const bodyOf = <T>(reply: AdminReply): T => reply.body as T

/** Query parameters that are set (blank fields of a filter form dropped). */
export const presentQuery = (url: URL, names: ReadonlyArray<string>): Record<string, string> =>
  Object.fromEntries(names.flatMap((name) => {
    const value = url.searchParams.get(name)?.trim()
    return value === undefined || value === "" ? [] : [[name, value]]
  }))
