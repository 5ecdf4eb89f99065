/**
 * The `claims` request parameter (OIDC Core §5.5): a JSON object whose
 * `userinfo` and `id_token` members each name claims to release there, each
 * `null` (default request) or an object with `essential` (boolean), `value`
 * or `values` (array). Parsed strictly: not JSON, not an object, a member of
 * the wrong type → `invalid_request`. Unknown top-level members and unknown
 * members of a claim request are ignored (§5.5: extensions). Also reached
 * from request objects (JAR, serialized back to JSON by
 * request_object_parameter.ts) and PAR, which validate the same way.
 */
import { OAuthError } from "@authrim/contracts"
import { Effect, Schema } from "effect"

/** One claim's request (§5.5.1); `null` on the wire becomes `{}`. */
export const ClaimRequest = Schema.Struct({
  essential: Schema.optional(Schema.Boolean),
  value: Schema.optional(Schema.Union([Schema.String, Schema.Number, Schema.Boolean])),
  values: Schema.optional(Schema.Array(Schema.Union([Schema.String, Schema.Number, Schema.Boolean])))
})
/** Type of {@link ClaimRequest}. */
export type ClaimRequest = typeof ClaimRequest.Type

/** Claims requested for one place of release, by name. */
export const ClaimRequests = Schema.Record(Schema.String, ClaimRequest)
/** Type of {@link ClaimRequests}. */
export type ClaimRequests = typeof ClaimRequests.Type

/** The parsed `claims` parameter, as kept in the pending authorization. */
export const ClaimsParameter = Schema.Struct({
  userinfo: Schema.optional(ClaimRequests),
  id_token: Schema.optional(ClaimRequests)
})
/** Type of {@link ClaimsParameter}. */
export type ClaimsParameter = typeof ClaimsParameter.Type

/** Largest `claims` parameter accepted (characters): far above any real request, small enough for the sealed transaction. */
const MAX_CLAIMS_LENGTH = 4_096
/** Most claims one member may name. */
const MAX_CLAIMS_PER_MEMBER = 64

const invalid = (description: string) => new OAuthError({ code: "invalid_request", description: `claims: ${description}` })

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value)
const isScalar = (value: unknown): value is string | number | boolean =>
  typeof value === "string" || typeof value === "boolean" || (typeof value === "number" && Number.isFinite(value))

/** One claim's request, or the reason it is malformed. */
const claimRequestOf = (name: string, raw: unknown): ClaimRequest | string => {
  if (raw === null) return {}
  if (!isObject(raw)) return `${name} must be null or an object`
  const essential = raw["essential"]
  const value = raw["value"]
  const values = raw["values"]
  if (essential !== undefined && typeof essential !== "boolean") return `${name}.essential must be a boolean`
  if (value !== undefined && !isScalar(value)) return `${name}.value must be a string, number or boolean`
  if (values !== undefined && !(Array.isArray(values) && values.every(isScalar))) return `${name}.values must be an array of strings, numbers or booleans`
  return {
    ...(essential === undefined ? {} : { essential }),
    ...(value === undefined ? {} : { value }),
    ...(values === undefined ? {} : { values: values as ReadonlyArray<string | number | boolean> })
  }
}

/** One member (`userinfo` / `id_token`), or the reason it is malformed. */
const memberOf = (member: string, raw: unknown): ClaimRequests | string => {
  if (!isObject(raw)) return `${member} must be an object`
  const names = Object.keys(raw)
  if (names.length > MAX_CLAIMS_PER_MEMBER) return `${member} names too many claims`
  const out: Record<string, ClaimRequest> = {}
  for (const name of names) {
    if (name === "") return `${member} names an empty claim`
    const request = claimRequestOf(`${member}.${name}`, raw[name])
    if (typeof request === "string") return request
    out[name] = request
  }
  return out
}

/** The parsed parameter (null when absent), or `invalid_request`. */
export const parseClaimsParameter = (raw: string | undefined): Effect.Effect<ClaimsParameter | null, OAuthError> => {
  if (raw === undefined) return Effect.succeed(null)
  if (raw.length > MAX_CLAIMS_LENGTH) return Effect.fail(invalid("too long"))
  let json: unknown
  try {
    json = JSON.parse(raw)
  } catch {
    return Effect.fail(invalid("not valid JSON"))
  }
  if (!isObject(json)) return Effect.fail(invalid("must be a JSON object"))
  const parsed: { userinfo?: ClaimRequests; id_token?: ClaimRequests } = {}
  for (const member of ["userinfo", "id_token"] as const) {
    if (json[member] === undefined) continue
    const requests = memberOf(member, json[member])
    if (typeof requests === "string") return Effect.fail(invalid(requests))
    parsed[member] = requests
  }
  return Effect.succeed(parsed)
}

/** The acr values an `id_token.acr` request names (`value` or `values`), and whether it is essential. */
export const acrClaimRequest = (claims: ClaimsParameter | null | undefined): { values: ReadonlyArray<string>; essential: boolean } | null => {
  const acr = claims?.id_token?.["acr"]
  if (acr === undefined) return null
  const listed = [...(acr.value === undefined ? [] : [acr.value]), ...(acr.values ?? [])]
  return { values: listed.filter((v): v is string => typeof v === "string"), essential: acr.essential === true }
}
