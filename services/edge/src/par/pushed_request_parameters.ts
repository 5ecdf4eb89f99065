/**
 * The authorization request carried by a PAR body (RFC 9126 §2.1): the body
 * minus the client's credentials, with `client_id` set to the authenticated
 * client (a Basic-authenticated client need not repeat it in the body).
 */
import { OAuthError, type Client, type PushedParameters } from "@authrim/contracts"
import { Effect } from "effect"
import { joinResources, RESOURCE_PARAMETER, resourcesOf } from "../resource_indicators/resource_parameter.ts"

/** Client authentication parameters (RFC 6749 §2.3.1, RFC 7523 §2.2): never part of the stored request. */
const credentialParameters = new Set(["client_secret", "client_assertion", "client_assertion_type"])

/** The pushed parameters, or `invalid_request` when the body carries a `request_uri` (RFC 9126 §2.1 "MUST NOT"). */
export const pushedRequestParameters = (client: Client, fields: URLSearchParams): Effect.Effect<URLSearchParams, OAuthError> => {
  if (fields.has("request_uri")) {
    return Effect.fail(new OAuthError({ code: "invalid_request", description: "request_uri must not be sent to the pushed authorization request endpoint" }))
  }
  const parameters = new URLSearchParams()
  for (const [name, value] of fields) if (!credentialParameters.has(name) && name !== "client_id") parameters.append(name, value)
  parameters.set("client_id", client.clientId)
  return Effect.succeed(parameters)
}

/**
 * The parameters as stored by the tokens service (validation has rejected duplicates already), one value
 * per name: the values of a repeated RFC 8707 `resource` are joined (resource_parameter.ts).
 */
export const toPushedParameters = (parameters: URLSearchParams): PushedParameters => {
  const stored: Record<string, string> = Object.fromEntries(parameters)
  const resources = parameters.getAll(RESOURCE_PARAMETER).filter((value) => value !== "")
  if (resources.length > 0) stored[RESOURCE_PARAMETER] = joinResources(resources)
  return stored
}

/** A stored pushed request as the query it replaces: {@link toPushedParameters} undone. */
export const fromPushedParameters = (stored: PushedParameters): URLSearchParams => {
  const parameters = new URLSearchParams()
  for (const [name, value] of Object.entries(stored)) {
    if (name === RESOURCE_PARAMETER) for (const resource of resourcesOf(value)) parameters.append(name, resource)
    else parameters.set(name, value)
  }
  return parameters
}
