/**
 * Reads an `application/x-www-form-urlencoded` body (the only encoding the
 * token, revocation, introspection endpoints and the HTML forms accept —
 * RFC 6749 §4.1.3, RFC 7009 §2.1, RFC 7662 §2.1).
 */
import { OAuthError } from "@authrim/contracts"
import { Effect } from "effect"
import { paramsFrom, type Params } from "./request_params.ts"

/** Largest body read (64 KiB): far above any legitimate form here. */
export const MAX_FORM_BYTES = 64 * 1024

/** True when the request declares a form-encoded body (parameters such as `charset` allowed). */
export const isFormEncoded = (request: Request): boolean =>
  (request.headers.get("content-type") ?? "").split(";")[0]!.trim().toLowerCase() === "application/x-www-form-urlencoded"

/** The raw form fields, or `invalid_request` for another content type or an oversized body. */
export const readFormFields = Effect.fnUntraced(function*(request: Request): Effect.fn.Return<URLSearchParams, OAuthError> {
  if (!isFormEncoded(request)) {
    return yield* invalid("the body must be application/x-www-form-urlencoded")
  }
  const declared = Number(request.headers.get("content-length") ?? "0")
  if (Number.isFinite(declared) && declared > MAX_FORM_BYTES) return yield* invalid("the body is too large")
  const body = yield* Effect.tryPromise({
    try: () => request.arrayBuffer(),
    catch: () => invalid("the body could not be read")
  })
  if (body.byteLength > MAX_FORM_BYTES) return yield* invalid("the body is too large")
  const text = new TextDecoder().decode(body)
  return new URLSearchParams(text)
})

/** The form parameters, or `invalid_request` for another content type, an oversized body or duplicates. */
export const readFormBody = (request: Request): Effect.Effect<Params, OAuthError> =>
  Effect.flatMap(readFormFields(request), paramsFrom)

const invalid = (description: string) => new OAuthError({ code: "invalid_request", description })
