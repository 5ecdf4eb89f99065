/**
 * RFC 9457 problem details for the admin API: every refusal is
 * `application/problem+json` with `type`, `title`, `status`, `detail`, and for
 * a 400 `errors: [{ field, message }]` naming each bad field (a JSON path like
 * `redirectUris.0`). Types are URNs of this API (`urn:authrim:problem:<name>`)
 * — stable identifiers, not links anyone must dereference (RFC 9457 §3.1.1).
 */
import { toWireError, wwwAuthenticate, type AlreadyExists, type EdgeFailure, type VersionMismatch } from "@authrim/contracts"
import { Schema } from "effect"

/** One field a request got wrong. */
export interface FieldError {
  readonly field: string
  readonly message: string
}

/** A refusal of the admin API, rendered by {@link problemResponse}. */
export class AdminProblem extends Schema.TaggedError<AdminProblem>()("AdminProblem", {
  status: Schema.Number,
  /** Short name: the type is `urn:authrim:problem:<name>`. */
  name: Schema.String,
  title: Schema.String,
  detail: Schema.String,
  errors: Schema.optional(Schema.Array(Schema.Struct({ field: Schema.String, message: Schema.String }))),
  headers: Schema.optional(Schema.Record(Schema.String, Schema.String))
}) {}

/** The problem+json schema of every error response (in the OpenAPI document as `Problem`). */
export const ProblemDocument = Schema.Struct({
  type: Schema.String,
  title: Schema.String,
  status: Schema.Number,
  detail: Schema.String,
  errors: Schema.optional(Schema.Array(Schema.Struct({ field: Schema.String, message: Schema.String })))
}).annotate({ identifier: "Problem", description: "RFC 9457 problem details" })

/** The HTTP response of `problem`: no-store, never cached by anyone. */
export const problemResponse = (problem: AdminProblem): Response =>
  new Response(JSON.stringify({
    type: `urn:authrim:problem:${problem.name}`,
    title: problem.title,
    status: problem.status,
    detail: problem.detail,
    ...(problem.errors === undefined ? {} : { errors: problem.errors })
  }), {
    status: problem.status,
    headers: {
      "content-type": "application/problem+json",
      "cache-control": "no-store",
      "x-content-type-options": "nosniff",
      ...problem.headers
    }
  })

const problem = (status: number, name: string, title: string, detail: string, extra: Partial<Pick<AdminProblem, "errors" | "headers">> = {}) =>
  new AdminProblem({ status, name, title, detail, ...extra })

/** 400: the request's fields are wrong (each named). */
export const invalidRequest = (detail: string, errors: ReadonlyArray<FieldError>) => problem(400, "invalid-request", "Invalid request", detail, { errors })
/** 404: no such record (or no such route). */
export const notFoundProblem = (what: string) => problem(404, "not-found", "Not found", `${what} not found`)
/** 405 with `Allow`. */
export const methodNotAllowed = (allowed: ReadonlyArray<string>) =>
  problem(405, "method-not-allowed", "Method not allowed", "this resource does not support the method", { headers: { allow: allowed.join(", ") } })
/** 409: a unique key is taken, or the record's state forbids the operation. */
export const conflict = (detail: string, field?: string) =>
  problem(409, "conflict", "Conflict", detail, field === undefined ? {} : { errors: [{ field, message: detail }] })
/** 412: `If-Match` names a version that is no longer current. */
export const preconditionFailed = (currentVersion: number) =>
  problem(412, "precondition-failed", "Precondition failed", `the record changed: its current version is ${currentVersion}; read it again`, {
    headers: { etag: etagOf(currentVersion) }
  })
/** 428: a write to an existing record without `If-Match` (RFC 6585 §3): lost updates are refused, not risked. */
export const preconditionRequired = () =>
  problem(428, "precondition-required", "Precondition required", "send If-Match with the ETag of the record you read")
/** 413: the body is larger than the API accepts. */
export const payloadTooLarge = (limit: number) => problem(413, "payload-too-large", "Payload too large", `the body must be at most ${limit} bytes`)
/** 415: the body is not JSON. */
export const unsupportedMediaType = () => problem(415, "unsupported-media-type", "Unsupported media type", "send the body as application/json")

/** The ETag of a record version (strong: a version names exactly one representation). */
export const etagOf = (version: number): string => `"${version}"`

/** 401 without a usable token: `WWW-Authenticate` per RFC 6750 §3 (Bearer) and RFC 9449 §7.1 (DPoP). */
export const unauthorized = (detail: string, error: "invalid_token" | "invalid_request" | null, challengeOverride?: string) => {
  const wire = error === null ? undefined : { code: error, description: detail, status: 401 } as const
  const challenge = challengeOverride ?? `${wwwAuthenticate("Bearer", wire)}, ${wwwAuthenticate("DPoP", wire)}`
  return problem(401, "unauthorized", "Unauthorized", detail, { headers: { "www-authenticate": challenge } })
}

/** 403: authenticated, but the token's scope or the admin's current permissions do not cover the operation. */
export const insufficientScope = (detail: string, scope: string) =>
  problem(403, "insufficient-scope", "Forbidden", detail, {
    headers: { "www-authenticate": `Bearer realm="authrim", error="insufficient_scope", error_description="${detail.replace(/["\\]/g, "")}", scope="${scope}"` }
  })

/**
 * A backend failure as a problem: a backend refusing the input (`OAuthError`
 * such as invalid_redirect_uri) is a 400 naming `field`; storage or transport
 * faults are 503; a missing setting 503 naming it. Never a 500 for bad input.
 */
export const backendProblem = (failure: EdgeFailure, field = "body"): AdminProblem => {
  if (failure._tag === "NotFound") return notFoundProblem(failure.what)
  const wire = toWireError(failure)
  if (failure._tag === "OAuthError" && wire.status < 500) {
    return invalidRequest(failure.description, [{ field: fieldOfOAuthError(failure.code, field), message: failure.description }])
  }
  return problem(wire.status >= 500 ? wire.status : 503, "unavailable", "Service unavailable", wire.description)
}

const fieldOfOAuthError = (code: string, fallback: string): string =>
  code === "invalid_redirect_uri" ? "redirectUris" : fallback

/** What an admin operation may fail with: a problem already made, a backend failure, or a versioned/unique write refused. */
export type AdminFailure = AdminProblem | EdgeFailure | VersionMismatch | AlreadyExists

/** Any failure of an operation as its problem: a stale version 412, a taken unique key 409, the rest as {@link backendProblem}. */
export const failureProblem = (failure: AdminFailure): AdminProblem => {
  switch (failure._tag) {
    case "AdminProblem":
      return failure
    case "VersionMismatch":
      return preconditionFailed(failure.currentVersion)
    case "AlreadyExists":
      return conflict(`a ${failure.what} with this ${failure.field} already exists`, failure.field)
    default:
      return backendProblem(failure)
  }
}
