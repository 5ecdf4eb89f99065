/**
 * Answers of the registration endpoints. Success: the RFC 7591 §3.2.1 /
 * RFC 7592 §3 client information response — the registered metadata, the
 * secrets issued this call, and `registration_client_uri`, this provider's
 * configuration endpoint for the client: `<issuer>/register?client_id=<id>`
 * (RFC 7592 lets the server choose its shape; a query keeps `/register` one
 * exact route). Never cached. Errors: an `invalid_token` is a 401 with an
 * RFC 6750 §3 `WWW-Authenticate: Bearer` challenge; the rest are RFC 7591
 * §3.2.2 JSON errors with the status of `oauth-wire.ts`.
 */
import { toWireError, wwwAuthenticate, type EdgeFailure, type RegisteredClient } from "@authrim/contracts"
import { noStoreJson, wireErrorJson } from "../http/oauth_json.ts"

/** The configuration endpoint of `clientId` (RFC 7592 `registration_client_uri`). */
export const registrationClientUri = (issuer: string, clientId: string): string =>
  `${issuer}/register?${new URLSearchParams({ client_id: clientId })}`

/** The client information response (`status` 201 on registration, 200 on read and update). */
export const clientInformation = (issuer: string, client: RegisteredClient, status: number): Response =>
  noStoreJson({
    ...client.metadata,
    client_id: client.clientId,
    ...(client.clientSecret === undefined ? {} : { client_secret: client.clientSecret }),
    ...(client.registrationAccessToken === undefined ? {} : { registration_access_token: client.registrationAccessToken }),
    registration_client_uri: registrationClientUri(issuer, client.clientId)
  }, status)

/** Any failure of a registration endpoint, as its wire error. */
export const registrationError = (failure: EdgeFailure): Response => {
  const wire = toWireError(failure)
  return wire.code === "invalid_token" ? wireErrorJson(wire, { "www-authenticate": wwwAuthenticate("Bearer", wire) }) : wireErrorJson(wire)
}
