/**
 * `/authorize?client_id=…&request_uri=…` (RFC 9126 §4): the pushed request
 * replaces the query. Only `client_id` is read from the query (it must be
 * the client that pushed); every other query parameter is ignored, the
 * pushed ones win. The request_uri is consumed here, once. A failure cannot
 * be redirected — nothing trustworthy names a redirect_uri — so it is an
 * error page (`invalid_request_uri`).
 *
 * A `request_uri` outside this provider's PAR namespace is left alone: it is
 * a request object by reference (request_uri/resolve_request_uri.ts).
 */
import { OAuthError, PAR_REQUEST_URI_PREFIX, type EdgeFailure } from "@authrim/contracts"
import { Effect } from "effect"
import { Edge } from "../edge_layer.ts"
import { fromPushedParameters } from "./pushed_request_parameters.ts"

/** The pushed request's parameters, or null when this is not a PAR authorization request. */
export const loadPushedRequest = Effect.fnUntraced(function*(search: URLSearchParams): Effect.fn.Return<URLSearchParams | null, EdgeFailure, Edge> {
  const { backends } = yield* Edge
  const requestUris = search.getAll("request_uri")
  if (!requestUris.some((uri) => uri.startsWith(PAR_REQUEST_URI_PREFIX))) return null
  const clientIds = search.getAll("client_id")
  if (requestUris.length > 1 || clientIds.length > 1) {
    return yield* new OAuthError({ code: "invalid_request", description: "request_uri and client_id must each be sent once" })
  }
  const clientId = clientIds[0]
  if (clientId === undefined || clientId === "") {
    return yield* new OAuthError({ code: "invalid_request", description: "client_id is required with request_uri" })
  }
  const { parameters } = yield* backends.par.consumePushedRequest({ requestUri: requestUris[0]!, clientId })
  return fromPushedParameters(parameters)
})
