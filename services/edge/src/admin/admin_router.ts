/**
 * `/admin/api/v1/*`: matches the operation, then in this order — the admin's
 * token and permission (401/403 before anything about the input is said),
 * `If-Match` on writes to existing records (428/412), the query and the JSON
 * body against the operation's Schemas (400 naming every bad field; unknown
 * fields are refused so a typo is not silently ignored; 413 beyond
 * {@link MAX_ADMIN_BODY_BYTES}; 415 for a non-JSON body) — and runs it.
 * Every answer is `no-store`; refusals are RFC 9457 problem+json.
 */
import { ADMIN_SCOPE } from "@authrim/contracts"
import { Effect, Schema } from "effect"
import type { Edge } from "../edge_layer.ts"
import type { RouteContext } from "../route_context.ts"
import { readCappedBody } from "../http/capped_body.ts"
import { authenticateAdmin, principalMay, type AdminPrincipal } from "./admin_auth.ts"
import type { AdminOperation, AdminReply } from "./admin_operation.ts"
import { adminOperations } from "./admin_operations.ts"
import {
  AdminProblem, etagOf, failureProblem, insufficientScope, invalidRequest, methodNotAllowed, notFoundProblem, payloadTooLarge,
  preconditionRequired, problemResponse, unsupportedMediaType, type AdminFailure, type FieldError
} from "./admin_problem.ts"

/** Where the versioned API lives. */
export const ADMIN_API_PREFIX = "/admin/api/v1"

/** Largest JSON body accepted (a client with 50 redirect URIs of 2,000 characters fits; 64 KiB). */
export const MAX_ADMIN_BODY_BYTES = 64 * 1024

interface CompiledOperation {
  readonly operation: AdminOperation
  readonly pattern: RegExp
  readonly names: ReadonlyArray<string>
}

const compile = (operation: AdminOperation): CompiledOperation => {
  const names: Array<string> = []
  const source = operation.path.replace(/[.*+?^$()|[\]\\]/g, "\\$&").replace(/\{(\w+)\}/g, (_, name: string) => {
    names.push(name)
    return "([^/]+)"
  })
  return { operation, pattern: new RegExp(`^${source}$`), names }
}

const compiled: ReadonlyArray<CompiledOperation> = adminOperations.map(compile)

/** Validators per Schema, made once: the JSON codec (what the OpenAPI document describes), unknown fields refused, every issue reported. */
const validators = new WeakMap<Schema.Top, (input: unknown) => { value: unknown } | { issues: ReadonlyArray<FieldError> }>()
const validatorOf = (schema: Schema.Top) => {
  const known = validators.get(schema)
  if (known !== undefined) return known
  const standard = Schema.toStandardSchemaV1(Schema.toCodecJson(schema) as unknown as Schema.Codec<unknown, unknown>, { parseOptions: { onExcessProperty: "error", errors: "all" } })
  const validate = (input: unknown) => {
    const result = standard["~standard"].validate(input)
    if (result instanceof Promise) return { issues: [{ field: "body", message: "cannot be checked synchronously" }] }
    if (result.issues !== undefined) {
      return {
        issues: result.issues.map((issue) => ({
          field: (issue.path ?? []).map((p) => String(typeof p === "object" && p !== null && "key" in p ? p.key : p)).join(".") || "body",
          message: issue.message
        }))
      }
    }
    return { value: result.value }
  }
  validators.set(schema, validate)
  return validate
}

const decodeWith = (schema: Schema.Top, input: unknown, where: "query" | "body"): Effect.Effect<unknown, AdminProblem> => {
  const result = validatorOf(schema)(input)
  if ("value" in result) return Effect.succeed(result.value)
  const fields = where === "query" ? result.issues.map((i) => ({ ...i, field: i.field === "body" ? "query" : i.field })) : result.issues
  return Effect.fail(invalidRequest(`the ${where} does not match the schema`, fields))
}

const readBody = Effect.fnUntraced(function*(request: Request, schema: Schema.Top) {
  const type = request.headers.get("content-type") ?? ""
  if (!/^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i.test(type)) return yield* unsupportedMediaType()
  const declared = Number(request.headers.get("content-length") ?? "0")
  if (declared > MAX_ADMIN_BODY_BYTES) return yield* payloadTooLarge(MAX_ADMIN_BODY_BYTES)
  const text = yield* Effect.tryPromise({ try: () => request.text(), catch: () => invalidRequest("the body could not be read", [{ field: "body", message: "unreadable" }]) })
  if (new TextEncoder().encode(text).length > MAX_ADMIN_BODY_BYTES) return yield* payloadTooLarge(MAX_ADMIN_BODY_BYTES)
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch {
    return yield* invalidRequest("the body is not valid JSON", [{ field: "body", message: "not valid JSON" }])
  }
  return yield* decodeWith(schema, json, "body")
})

/** An operation's raw image body (`imageBody`): at most `limit` bytes (413 beyond, nothing buffered past it). */
const readImageBody = (request: Request, limit: number): Effect.Effect<Uint8Array, AdminProblem> =>
  readCappedBody(request, limit).pipe(
    Effect.catchTag("BodyTooLarge", () => Effect.fail(payloadTooLarge(limit))),
    Effect.catchTag("BodyUnreadable", () => Effect.fail(invalidRequest("the body could not be read", [{ field: "body", message: "unreadable" }])))
  )

/** `If-Match`: the first strong ETag naming a version; -1 (matches no version) for anything else but `*` or absence. */
const ifMatchOf = (request: Request): number | null | "any" => {
  const header = request.headers.get("if-match")
  if (header === null) return null
  if (header.trim() === "*") return "any"
  const tag = /"(\d{1,15})"/.exec(header.replace(/W\/"[^"]*"/g, ""))
  return tag === null ? -1 : Number(tag[1])
}

const replyResponse = (reply: AdminReply): Response => {
  const headers: Record<string, string> = { "cache-control": "no-store", "x-content-type-options": "nosniff" }
  if (reply.etag !== undefined) headers["etag"] = etagOf(reply.etag)
  if (reply.status === 204 || reply.body === undefined) return new Response(null, { status: reply.status, headers })
  return new Response(JSON.stringify(reply.body), { status: reply.status, headers: { ...headers, "content-type": "application/json" } })
}

const run = Effect.fnUntraced(function*(request: Request, ctx: RouteContext, match: CompiledOperation, params: Record<string, string>): Effect.fn.Return<AdminReply, AdminFailure, Edge> {
  const { operation } = match
  const admin = yield* authenticateAdmin(request, ctx, operation.permission)
  const ifMatch = ifMatchOf(request)
  if (operation.ifMatch && (ifMatch === null || ifMatch === "any")) return yield* preconditionRequired()
  const query = operation.query === undefined ? {} : yield* decodeWith(operation.query, Object.fromEntries(new URL(request.url).searchParams), "query")
  const body = operation.imageBody !== undefined ? yield* readImageBody(request, operation.imageBody.maxBytes)
    : operation.body === undefined ? undefined : yield* readBody(request, operation.body)
  return yield* operation.handle({ params, query, body, admin, ifMatch: ifMatch === "any" ? null : ifMatch, ctx })
})

/** Handles any request under {@link ADMIN_API_PREFIX}. */
export const adminApi = (request: Request, ctx: RouteContext): Effect.Effect<Response, never, Edge> => {
  const path = new URL(request.url).pathname.slice(ADMIN_API_PREFIX.length)
  const candidates = compiled.flatMap((c) => {
    const found = c.pattern.exec(path)
    return found === null ? [] : [{ compiledOperation: c, values: found.slice(1) }]
  })
  if (candidates.length === 0) return Effect.succeed(problemResponse(notFoundProblem("resource")))
  const chosen = candidates.find((c) => c.compiledOperation.operation.method === request.method)
  if (chosen === undefined) return Effect.succeed(problemResponse(methodNotAllowed(candidates.map((c) => c.compiledOperation.operation.method))))
  const params: Record<string, string> = {}
  try {
    chosen.compiledOperation.names.forEach((name, i) => { params[name] = decodeURIComponent(chosen.values[i]!) })
  } catch {
    return Effect.succeed(problemResponse(invalidRequest("a path segment is not valid percent-encoding", [{ field: "path", message: "malformed" }])))
  }
  return run(request, ctx, chosen.compiledOperation, params).pipe(
    Effect.map(replyResponse),
    Effect.catch((failure) => Effect.succeed(problemResponse(failureProblem(failure))))
  )
}

/**
 * Runs `operation` for an admin already authenticated (the console, console/console_operation_call.ts):
 * the same permission check, `If-Match` rule and Schemas as a call through {@link adminApi} — `query`
 * and `body` are decoded exactly as the API decodes its query string and JSON body — and every failure as its problem.
 */
export const invokeAdminOperation = Effect.fnUntraced(function*(operation: AdminOperation, call: {
  readonly admin: AdminPrincipal
  readonly ctx: RouteContext
  readonly params?: Readonly<Record<string, string>>
  readonly query?: Readonly<Record<string, string>>
  readonly body?: unknown
  readonly ifMatch?: number | null
}): Effect.fn.Return<AdminReply, AdminProblem, Edge> {
  if (!principalMay(call.admin, operation.permission)) return yield* insufficientScope(`this operation requires the permission ${operation.permission}`, ADMIN_SCOPE)
  const ifMatch = call.ifMatch ?? null
  if (operation.ifMatch && ifMatch === null) return yield* preconditionRequired()
  const query = operation.query === undefined ? {} : yield* decodeWith(operation.query, call.query ?? {}, "query")
  const body = operation.imageBody !== undefined
    ? (call.body instanceof Uint8Array ? call.body : yield* invalidRequest("an image body is required", [{ field: "body", message: "missing" }]))
    : operation.body === undefined ? undefined : yield* decodeWith(operation.body, call.body ?? {}, "body")
  return yield* operation.handle({ params: call.params ?? {}, query, body, admin: call.admin, ifMatch, ctx: call.ctx }).pipe(Effect.mapError(failureProblem))
})
