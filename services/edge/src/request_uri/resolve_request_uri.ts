/**
 * `request_uri` by reference (JAR RFC 9101 §5.2, OIDC Core §6.2): the
 * authorization request's parameters are in a request object the client
 * hosts. Rules, checked before anything is fetched:
 * - only for a client that registered `request_uris`, and only a URI equal to
 *   one of them (fragments aside; a registered URI ending in `/` also covers
 *   the URIs below it, for RPs that mint one URI per request); never for a
 *   client that must use PAR (its refusal comes first, nothing is fetched);
 * - https, or http on a loopback host in development only; no userinfo;
 *   at most 512 characters;
 * - fetched once per authorization request (this is the only fetch; a
 *   failed one is not retried), within the size and time limits of
 *   `request_uri_settings.ts`;
 * - when the URI has a fragment, it must be the base64url SHA-256 of the
 *   fetched object (OIDC Core §6.2: a changed file is refused, not used).
 * The fetched JWT then goes through exactly the checks of a `request` by
 * value (`request_object_parameter.ts`). PAR's own request_uris
 * (`urn:ietf:params:oauth:request_uri:`) never come here.
 */
import { OAuthError, PAR_REQUEST_URI_PREFIX, type EdgeFailure } from "@authrim/contracts"
import { sha256Base64url } from "@authrim/platform"
import { Effect } from "effect"
import { Edge } from "../edge_layer.ts"
import { rpDocumentUrl } from "../http/rp_document_url.ts"
import { checkParRequirement } from "../par/check_par_requirement.ts"
import { fetchRequestObject } from "./fetch_request_object.ts"
import { REQUEST_URI_MAX_LENGTH } from "./request_uri_settings.ts"

const invalidRequestUri = (description: string) => new OAuthError({ code: "invalid_request_uri", description })

/** Whether `search` passes a request object by reference (not a PAR request_uri). */
export const hasRequestUri = (search: URLSearchParams): boolean =>
  search.getAll("request_uri").some((uri) => !uri.startsWith(PAR_REQUEST_URI_PREFIX))

/** `search` without its request_uri: what the redirect target is resolved from when the reference is refused. */
export const withoutRequestUri = (search: URLSearchParams): URLSearchParams => {
  const outer = new URLSearchParams(search)
  outer.delete("request_uri")
  return outer
}

const withoutFragment = (uri: string): string => uri.split("#")[0]!

/** Whether `requested` is one of the client's registered request_uris (see the header). */
export const isRegisteredRequestUri = (registered: ReadonlyArray<string>, requested: string): boolean => {
  const target = withoutFragment(requested)
  return registered.some((entry) => {
    const base = withoutFragment(entry)
    return base === target || (base.endsWith("/") && target.startsWith(base) && target.length > base.length)
  })
}

/** `search` with `request_uri` replaced by `request`: the fetched object, for the by-value path. */
export const dereferenceRequestUri = Effect.fnUntraced(function*(search: URLSearchParams): Effect.fn.Return<URLSearchParams, EdgeFailure, Edge> {
  const { backends, requestUri: settings } = yield* Edge
  const uris = search.getAll("request_uri")
  const clientIds = search.getAll("client_id")
  if (uris.length !== 1 || clientIds.length !== 1 || clientIds[0] === "") {
    return yield* new OAuthError({ code: "invalid_request", description: "request_uri and client_id must each be sent once" })
  }
  if (search.has("request")) return yield* new OAuthError({ code: "invalid_request", description: "request and request_uri are mutually exclusive" })
  const requested = uris[0]!
  if (requested.length > REQUEST_URI_MAX_LENGTH) return yield* invalidRequestUri(`request_uri is longer than ${REQUEST_URI_MAX_LENGTH} characters`)
  const url = rpDocumentUrl(requested, settings)
  if (url === "not_absolute") return yield* invalidRequestUri("request_uri is not an absolute URL")
  if (url === "insecure") return yield* invalidRequestUri("request_uri must be an https URL")
  const client = yield* backends.identity.getClient({ clientId: clientIds[0]! }).pipe(
    Effect.catchTag("NotFound", () => Effect.fail(new OAuthError({ code: "invalid_request", description: "unknown client" })))
  )
  if (!isRegisteredRequestUri(client.requestUris ?? [], requested)) {
    return yield* invalidRequestUri("request_uri is not one of the client's registered request_uris")
  }
  // RFC 9126 §5: a client that must push its requests gets that refusal, and its RP's server is not fetched from.
  yield* checkParRequirement(client, false)
  url.hash = ""
  const requestObject = yield* fetchRequestObject(url, settings)
  const fragment = requested.includes("#") ? requested.slice(requested.indexOf("#") + 1) : ""
  if (fragment !== "" && fragment !== (yield* sha256Base64url(requestObject))) {
    return yield* invalidRequestUri("the request object does not match the SHA-256 in the request_uri fragment")
  }
  const expanded = withoutRequestUri(search)
  expanded.set("request", requestObject)
  return expanded
})
