/**
 * `/register` — dynamic client registration (RFC 7591) and, with
 * `?client_id=`, the client configuration endpoint (RFC 7592):
 * - `POST /register`: registers a client (201). The initial access token comes
 *   as `Authorization: Bearer`; without one only when open registration is on
 *   (registration/registration_policy.ts), else 401 `invalid_token`.
 * - `GET | PUT | DELETE /register?client_id=<id>`: read (200), update (200,
 *   the registration access token rotates) and delete (204), each with the
 *   client's registration access token as `Authorization: Bearer`.
 * Every request counts under the `registration` rate-limit policy (per client
 * IP, 10 per hour): a registration is rare, and each of these guesses a token.
 * The identity service validates the metadata; the edge only parses HTTP.
 */
import { OAuthError, type EdgeFailure } from "@authrim/contracts"
import { Effect } from "effect"
import { Edge } from "../edge_layer.ts"
import { deleteClientAndTokens } from "../registration/deleted_client_tokens.ts"
import { forgetClientAuth } from "../token_endpoint/client_auth_cache.ts"
import { registrationRateLimit } from "../http/surface_rate_limits.ts"
import { readMetadataBody } from "../registration/registration_body.ts"
import { checkRegistrationSector } from "../pairwise/check_sector_identifier.ts"
import { bearerTokenOf } from "../registration/registration_bearer.ts"
import { openRegistrationAllowed } from "../registration/registration_policy.ts"
import { clientInformation, registrationError } from "../registration/registration_responses.ts"
import type { RouteContext } from "../route_context.ts"
import type { Handler } from "./route_table.ts"

const invalidToken = (description: string) => new OAuthError({ code: "invalid_token", description })

/** `POST /register` (RFC 7591 §3.1). */
const registerClient = Effect.fnUntraced(function*(request: Request, ctx: RouteContext) {
  const { backends } = yield* Edge
  const initialAccessToken = bearerTokenOf(request)
  if (initialAccessToken === null && !(yield* openRegistrationAllowed())) return yield* invalidToken("an initial access token is required to register a client")
  const metadata = yield* readMetadataBody(request)
  yield* checkRegistrationSector(metadata)
  const registered = yield* backends.registration.registerClient({ metadata, initialAccessToken })
  return clientInformation(ctx.issuer, registered, 201)
}, (effect) => effect.pipe(Effect.catch((failure: EdgeFailure) => Effect.succeed(registrationError(failure)))))

/** The client id of the configuration URI and the registration access token, or `invalid_token` / `invalid_request`. */
const configurationAccess = Effect.fnUntraced(function*(request: Request) {
  const clientId = new URL(request.url).searchParams.get("client_id")
  if (clientId === null || clientId === "" || clientId.length > 200) {
    return yield* new OAuthError({ code: "invalid_request", description: "the client configuration endpoint is /register?client_id=<client_id>" })
  }
  const registrationAccessToken = bearerTokenOf(request)
  if (registrationAccessToken === null) return yield* invalidToken("the registration access token is required")
  return { clientId, registrationAccessToken }
})

/** `GET /register?client_id=` (RFC 7592 §2.1). */
const readClient = Effect.fnUntraced(function*(request: Request, ctx: RouteContext) {
  const { backends } = yield* Edge
  const access = yield* configurationAccess(request)
  return clientInformation(ctx.issuer, yield* backends.registration.readRegisteredClient(access), 200)
}, (effect) => effect.pipe(Effect.catch((failure: EdgeFailure) => Effect.succeed(registrationError(failure)))))

/** `PUT /register?client_id=` (RFC 7592 §2.2). */
const updateClient = Effect.fnUntraced(function*(request: Request, ctx: RouteContext) {
  const { backends } = yield* Edge
  const access = yield* configurationAccess(request)
  const metadata = yield* readMetadataBody(request)
  // The registration access token is checked (a read, which rotates nothing) before the edge fetches anything for the caller.
  if (typeof metadata["sector_identifier_uri"] === "string") yield* backends.registration.readRegisteredClient(access)
  yield* checkRegistrationSector(metadata)
  return clientInformation(ctx.issuer, yield* backends.registration.updateRegisteredClient({ ...access, metadata }), 200)
}, (effect) => effect.pipe(Effect.catch((failure: EdgeFailure) => Effect.succeed(registrationError(failure)))))

/** `DELETE /register?client_id=` (RFC 7592 §2.3): 204, never cached. */
const deleteClient = Effect.fnUntraced(function*(request: Request, _ctx: RouteContext) {
  const { backends } = yield* Edge
  const access = yield* configurationAccess(request)
  yield* deleteClientAndTokens(access.clientId, backends.registration.deregisterClient(access), false)
  // This isolate stops reusing a cached authentication of the client at once (as the admin API's delete).
  forgetClientAuth(access.clientId)
  return new Response(null, { status: 204, headers: { "cache-control": "no-store", pragma: "no-cache" } })
}, (effect) => effect.pipe(Effect.catch((failure: EdgeFailure) => Effect.succeed(registrationError(failure)))))

/** `handler` behind the `registration` policy: a refusal is the RFC 6749 §5.2 429 JSON. */
const limited = (handler: Handler): Handler => (request, ctx) =>
  Effect.flatMap(registrationRateLimit(request), (refused) => (refused === null ? handler(request, ctx) : Effect.succeed(refused)))

/** The methods of `/register`. */
export const registerMethods: Readonly<Record<string, Handler>> = {
  POST: limited(registerClient),
  GET: limited(readClient),
  PUT: limited(updateClient),
  DELETE: limited(deleteClient)
}
