/**
 * The JSON body of a registration or update request (RFC 7591 §3.1,
 * RFC 7592 §2.2): `application/json`, at most 64 KiB, a JSON object. Anything
 * else is `invalid_request` (not JSON at all) or `invalid_client_metadata`
 * (JSON that is not a metadata object), never a 500.
 */
import { OAuthError } from "@authrim/contracts"
import { Effect } from "effect"

/** Largest body read: far above any real client metadata (20 redirect URIs, a JWK Set). */
const MAX_METADATA_BYTES = 64 * 1024

const invalid = (description: string) => new OAuthError({ code: "invalid_request", description })

const isJson = (request: Request): boolean =>
  (request.headers.get("content-type") ?? "").split(";")[0]!.trim().toLowerCase() === "application/json"

const parse = (text: string): unknown => {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}

/** The metadata object of `request`. */
export const readMetadataBody = Effect.fnUntraced(function*(request: Request): Effect.fn.Return<Record<string, unknown>, OAuthError> {
  if (!isJson(request)) return yield* invalid("the body must be application/json")
  const declared = Number(request.headers.get("content-length") ?? "0")
  if (Number.isFinite(declared) && declared > MAX_METADATA_BYTES) return yield* invalid("the body is too large")
  const body = yield* Effect.tryPromise({ try: () => request.arrayBuffer(), catch: () => invalid("the body could not be read") })
  if (body.byteLength > MAX_METADATA_BYTES) return yield* invalid("the body is too large")
  const value = parse(new TextDecoder().decode(body))
  if (value === undefined) return yield* invalid("the body is not valid JSON")
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return yield* new OAuthError({ code: "invalid_client_metadata", description: "the body must be a JSON object of client metadata" })
  }
  return value as Record<string, unknown>
})
