/**
 * The RFC 8707 `resource` parameter at the edge (issue 14): the one request
 * parameter that may repeat (§2: "the parameter may be repeated"), at
 * /authorize, /par, inside request objects and at /token. Each value must be
 * an absolute URI without a fragment AND one of the client's registered
 * `resources` (migration 0025; none registered: none may be named), else
 * `invalid_target` (an edge-only wire code, contracts/src/oauth-wire.ts).
 *
 * `Params` (http/request_params.ts) holds one string per name, so the values
 * of a repeated `resource` are kept as one: each percent-encoded, joined by a
 * space ({@link joinResources}); {@link resourcesOf} gives them back exactly.
 * The pushed request store (PAR) keeps them the same way.
 */
import { EdgeOAuthError, invalidTargetDescription, isResourceIndicator, type Client, type EdgeFailure } from "@authrim/contracts"
import { Effect } from "effect"

/** The parameter's name. */
export const RESOURCE_PARAMETER = "resource"

/** Several `resource` values as one string, losslessly (see the module comment). */
export const joinResources = (values: ReadonlyArray<string>): string => values.map(encodeURIComponent).join(" ")

/** The `resource` values kept by {@link joinResources} (none when absent). */
export const resourcesOf = (joined: string | undefined): ReadonlyArray<string> =>
  joined === undefined || joined === "" ? [] : joined.split(" ").map(decodeURIComponent)

const invalidTarget = (description: string) => new EdgeOAuthError({ code: "invalid_target", description })

/**
 * The requested resources, de-duplicated in request order, when each is an absolute URI without
 * a fragment that `client` registered; else `invalid_target`. None requested: none.
 */
export const requestedResources = (client: Client, values: ReadonlyArray<string>): Effect.Effect<ReadonlyArray<string>, EdgeOAuthError> => {
  const unique = [...new Set(values)]
  if (unique.some((value) => !isResourceIndicator(value))) return Effect.fail(invalidTarget("resource must be an absolute URI without a fragment"))
  const allowed = client.resources ?? []
  return unique.every((value) => allowed.includes(value))
    ? Effect.succeed(unique)
    : Effect.fail(invalidTarget("the client may not request a token for this resource"))
}

/**
 * The tokens service's refusal of a resource outside the grant (an `invalid_request` with the
 * marker of contracts resource_indicator_rules.ts) as the `invalid_target` the client is sent.
 */
export const asInvalidTarget = <A, R>(effect: Effect.Effect<A, EdgeFailure, R>): Effect.Effect<A, EdgeFailure, R> =>
  Effect.mapError(effect, (error) => {
    const description = error._tag === "OAuthError" ? invalidTargetDescription(error) : null
    return description === null ? error : invalidTarget(description)
  })
