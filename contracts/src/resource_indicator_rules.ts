/**
 * RFC 8707 resource indicators (issue 14): the rules the edge and the tokens
 * service share. A client names the resources it may ask for (`Client.resources`,
 * migration 0025); the edge checks each `resource` parameter against that list,
 * the granted ones are sealed into the code and kept with the refresh family,
 * and a `/token` request may narrow to a subset of them (never widen).
 *
 * `invalid_target` (RFC 8707 §2) is not an `OAuthErrorCode`: adding a code would
 * change the wire shape of every contract. The tokens service therefore refuses
 * a resource outside the grant with `invalid_request` whose description starts
 * with {@link INVALID_TARGET_MARKER}; the edge renders that as `invalid_target`
 * (an older edge would answer `invalid_request`, still a refusal).
 */
import { OAuthError } from "./errors.ts"

/** RFC 8707 §2: an absolute URI without a fragment (no whitespace or control characters either). */
export const isResourceIndicator = (value: string): boolean =>
  /^[\x21-\x7E]{1,2000}$/.test(value) && !value.includes("#") && URL.canParse(value)

/** Description prefix of the tokens service's `invalid_target` refusals (see the module comment). */
export const INVALID_TARGET_MARKER = "invalid_target: "

/** The tokens service's refusal of a resource outside the grant. */
export const invalidTargetRefusal = (description: string): OAuthError =>
  new OAuthError({ code: "invalid_request", description: INVALID_TARGET_MARKER + description })

/** The description of an `invalid_target` refusal made by {@link invalidTargetRefusal}, or null for any other error. */
export const invalidTargetDescription = (error: OAuthError): string | null =>
  error.code === "invalid_request" && error.description.startsWith(INVALID_TARGET_MARKER)
    ? error.description.slice(INVALID_TARGET_MARKER.length)
    : null

/**
 * The resources a token is issued for: `requested` (a subset of `granted`) or, when none is
 * requested, all of `granted`. Null when a requested one was not granted (→ `invalid_target`).
 */
export const narrowedResources = (granted: ReadonlyArray<string>, requested: ReadonlyArray<string>): ReadonlyArray<string> | null => {
  if (requested.length === 0) return granted
  const unique = [...new Set(requested)]
  return unique.every((r) => granted.includes(r)) ? unique : null
}
