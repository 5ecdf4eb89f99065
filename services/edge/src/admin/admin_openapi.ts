/**
 * `GET /admin/api/openapi.json`: the OpenAPI 3.1 document of the admin API,
 * GENERATED from the operation list (admin_operations.ts) and the very
 * Schemas that validate requests (`Schema.toJsonSchemaDocument` of each query,
 * body and response, with unknown fields closed as the validator closes them).
 * Built once per isolate; public (it holds no data, only the API's shape).
 */
import { PERMISSIONS } from "@authrim/contracts"
import { Effect, Schema } from "effect"
import type { Edge } from "../edge_layer.ts"
import type { RouteContext } from "../route_context.ts"
import type { AdminOperation } from "./admin_operation.ts"
import { adminOperations } from "./admin_operations.ts"
import { ProblemDocument } from "./admin_problem.ts"
import { ADMIN_API_PREFIX, MAX_ADMIN_BODY_BYTES } from "./admin_router.ts"

type Json = Record<string, unknown>

/** A schema's JSON Schema, its definitions pooled into `components.schemas`. */
const jsonSchemaOf = (schema: Schema.Top, pool: Record<string, unknown>): Json => {
  const document = Schema.toJsonSchemaDocument(schema, { onExcessProperty: "error" })
  const relink = (value: unknown): unknown => JSON.parse(JSON.stringify(value).replaceAll("\"#/$defs/", "\"#/components/schemas/"))
  for (const [name, definition] of Object.entries(document.definitions)) pool[name] = relink(definition)
  return relink(document.schema) as Json
}

/** A query parameter is never JSON null (the JSON codec's optional fields admit null in a body, not in a URL). */
const withoutNull = (schema: Json): Json => {
  const anyOf = schema["anyOf"]
  if (!Array.isArray(anyOf)) return schema
  const rest = anyOf.filter((s: Json) => s["type"] !== "null")
  return rest.length === 1 ? rest[0] : { ...schema, anyOf: rest }
}

const problemRef = { $ref: "#/components/schemas/Problem" }
const problem = (description: string) => ({ description, content: { "application/problem+json": { schema: problemRef } } })

const errorResponses = (operation: AdminOperation): Json => ({
  ...(operation.body !== undefined || operation.query !== undefined || operation.path.includes("{")
    ? { "400": problem("Invalid input; `errors` names each field") }
    : {}),
  "401": problem("No, or an invalid, expired or revoked access token (`WWW-Authenticate` says why)"),
  "403": problem(`The token lacks scope \`admin\`, or the admin lacks the permission \`${operation.permission}\``),
  ...(operation.path.includes("{") ? { "404": problem("No such record") } : {}),
  ...(operation.method === "POST" || operation.method === "PATCH" || operation.method === "PUT" ? { "409": problem("A unique field is taken, or the record's state forbids this") } : {}),
  ...(operation.ifMatch ? { "412": problem("If-Match names a version that is no longer current"), "428": problem("If-Match is missing") } : {}),
  ...(operation.body !== undefined ? { "413": problem(`The body is larger than ${MAX_ADMIN_BODY_BYTES} bytes`), "415": problem("The body is not JSON") } : {}),
  "503": problem("A backend is unavailable or misconfigured")
})

const operationObject = (operation: AdminOperation, pool: Record<string, unknown>): Json => {
  const pathNames = [...operation.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!)
  const parameters: Array<Json> = pathNames.map((name) => ({ name, in: "path", required: true, schema: { type: "string" } }))
  if (operation.query !== undefined) {
    const query = jsonSchemaOf(operation.query, pool)
    const required = new Set((query["required"] as Array<string> | undefined) ?? [])
    for (const [name, schema] of Object.entries((query["properties"] as Json | undefined) ?? {})) {
      parameters.push({ name, in: "query", required: required.has(name), schema: withoutNull(schema as Json) })
    }
  }
  if (operation.ifMatch) {
    parameters.push({ name: "If-Match", in: "header", required: true, description: "The ETag of the version read (`\"<version>\"`)", schema: { type: "string" } })
  }
  const { success } = operation
  return {
    operationId: operation.operationId,
    summary: operation.summary,
    tags: [operation.tag],
    "x-required-permission": operation.permission,
    security: [{ bearer: [] }, { dpop: [] }],
    ...(parameters.length === 0 ? {} : { parameters }),
    ...(operation.body === undefined ? {} : {
      requestBody: { required: true, content: { "application/json": { schema: jsonSchemaOf(operation.body, pool) } } }
    }),
    ...(operation.imageBody === undefined ? {} : {
      requestBody: {
        required: true,
        description: `The image (JPEG, PNG, GIF or WebP, decided by its bytes), at most ${operation.imageBody.maxBytes} bytes`,
        content: { "application/octet-stream": { schema: { type: "string", format: "binary" } } }
      }
    }),
    responses: {
      [String(success.status)]: {
        description: success.description,
        ...(success.etag === true ? { headers: { ETag: { description: "The record's version", schema: { type: "string" } } } } : {}),
        ...(success.schema === undefined ? {} : { content: { "application/json": { schema: jsonSchemaOf(success.schema, pool) } } })
      },
      ...errorResponses(operation)
    }
  }
}

/** The document for `operations` (every route of the router, under {@link ADMIN_API_PREFIX}). */
export const openApiDocument = (operations: ReadonlyArray<AdminOperation>): Json => {
  const pool: Record<string, unknown> = {}
  const paths: Record<string, Json> = {}
  for (const operation of operations) {
    const path = `${ADMIN_API_PREFIX}${operation.path}`
    paths[path] = { ...paths[path], [operation.method.toLowerCase()]: operationObject(operation, pool) }
  }
  pool["Problem"] = jsonSchemaOf(ProblemDocument, pool)
  return {
    openapi: "3.1.0",
    info: {
      title: "Authrim admin API",
      version: "1",
      description: "Management plane of Authrim. Authenticate with an access token Authrim issued for scope `admin` " +
        "(Bearer, or DPoP with a proof); each operation needs the permission in `x-required-permission`, " +
        `held through the user's roles (${PERMISSIONS.join(", ")}; admin:read implies every *:read, admin:write every write). ` +
        "Writes to existing records need If-Match with the ETag read (428 without, 412 when stale). Errors are RFC 9457 problem+json."
    },
    paths,
    components: {
      schemas: pool,
      securitySchemes: {
        bearer: { type: "http", scheme: "bearer", bearerFormat: "JWT", description: "RFC 6750 access token with scope admin" },
        dpop: { type: "http", scheme: "DPoP", description: "RFC 9449 DPoP-bound access token with scope admin, plus a DPoP proof header" }
      }
    }
  }
}

let built: string | null = null

/** Serves the document (made on first request of the isolate). */
export const adminOpenApi = (_request: Request, _ctx: RouteContext): Effect.Effect<Response, never, Edge> =>
  Effect.sync(() => {
    built ??= JSON.stringify(openApiDocument(adminOperations))
    return new Response(built, { status: 200, headers: { "content-type": "application/json", "cache-control": "no-cache", "x-content-type-options": "nosniff" } })
  })
