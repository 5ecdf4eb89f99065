/**
 * Request parameters under RFC 6749 §3.1: a parameter sent without a value is
 * treated as omitted, and one sent more than once is `invalid_request` — except
 * RFC 8707 `resource`, which may repeat: its values are kept as one string
 * (resource_indicators/resource_parameter.ts `resourcesOf` reads them back).
 * Sizes are capped so an overlong input is a spec error, never a 500.
 */
import { OAuthError } from "@authrim/contracts"
import { Effect } from "effect"
import { joinResources, RESOURCE_PARAMETER } from "../resource_indicators/resource_parameter.ts"

/** Decoded parameters, each name present at most once and never empty. */
export type Params = ReadonlyMap<string, string>

/** Longest single value accepted (an `id_token_hint` or a JWT-shaped `state` fits comfortably). */
export const MAX_PARAM_LENGTH = 4096
/** Most distinct parameters accepted in one request (the largest OIDC request has ~25). */
export const MAX_PARAM_COUNT = 64

/** Validates and de-duplicates a query string or form body. */
export const paramsFrom = (search: URLSearchParams): Effect.Effect<Params, OAuthError> => {
  const params = new Map<string, string>()
  const seen = new Set<string>()
  const resources: Array<string> = []
  for (const [name, value] of search) {
    if (name === RESOURCE_PARAMETER) {
      // RFC 8707 §2: repeatable; counted against the same cap as distinct parameters.
      if (resources.length >= MAX_PARAM_COUNT) return Effect.fail(invalid("too many parameters"))
      if (value.length > MAX_PARAM_LENGTH) return Effect.fail(invalid(`parameter ${name} is too long`))
      if (value !== "") resources.push(value)
      continue
    }
    if (seen.has(name)) return Effect.fail(invalid(`parameter ${printable(name)} is included more than once`))
    seen.add(name)
    if (seen.size > MAX_PARAM_COUNT) return Effect.fail(invalid("too many parameters"))
    if (value.length > MAX_PARAM_LENGTH) return Effect.fail(invalid(`parameter ${printable(name)} is too long`))
    if (value !== "") params.set(name, value)
  }
  if (resources.length > 0) params.set(RESOURCE_PARAMETER, joinResources(resources))
  return Effect.succeed(params)
}

const invalid = (description: string) => new OAuthError({ code: "invalid_request", description })

/** A parameter name safe to echo in an error description (RFC 6749 §5.2 limits its characters). */
const printable = (name: string) => (/^[\x20-\x21\x23-\x5B\x5D-\x7E]{1,64}$/.test(name) ? name : "(unprintable)")
