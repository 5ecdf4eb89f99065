/**
 * RFC 7592 registration access tokens: 32 random bytes (base64url), stored as
 * `sha256$<hex>` in `client_registrations.registration_token_hash` (a fast
 * hash suffices for a 256-bit secret, as for client secrets), compared in
 * constant time. A wrong token, an unknown client and a client that was not
 * dynamically registered are the same `invalid_token` (RFC 6750 §3.1).
 */
import { OAuthError, RegistrationPolicy, tryD1 } from "@authrim/contracts"
import { randomBase64url, sha256Hex, timingSafeEqual } from "@authrim/platform"
import { Effect, Option, Schema } from "effect"
import { IdentityBindings, serviceName } from "../identity_bindings.ts"
import { cachedFromRow, type ClientRow } from "./client_record.ts"

const PREFIX = "sha256$"

/** A new registration access token. */
export const newRegistrationAccessToken = (): string => randomBase64url(32)

/** The stored form of a registration access token. */
export const hashRegistrationAccessToken = (token: string): Effect.Effect<string> => Effect.map(sha256Hex(token), (hex) => PREFIX + hex)

/** `invalid_token` as RFC 6750 §3.1 means it. */
export const invalidToken = (description = "the registration access token is not valid") => new OAuthError({ code: "invalid_token", description })

interface RegistrationRow extends ClientRow {
  registration_token_hash: string
  extra_metadata: string
  registration_policy: string
  registered_at: number
}

const decodeExtra = Schema.decodeUnknownOption(Schema.fromJsonString(Schema.Record(Schema.String, Schema.Unknown)))
const decodePolicy = Schema.decodeUnknownOption(Schema.fromJsonString(RegistrationPolicy))

/** A dynamically registered client as the configuration endpoint works on it. */
export interface Registration {
  readonly cached: ReturnType<typeof cachedFromRow> & { readonly found: true }
  readonly tokenHash: string
  readonly extra: Record<string, unknown>
  readonly policy: RegistrationPolicy
  readonly registeredAt: number
}

/** The registration of `clientId` (client row and registration row, read together from D1), or null. */
export const loadRegistration = Effect.fnUntraced(function*(clientId: string) {
  const { db } = yield* IdentityBindings
  const row = yield* tryD1(serviceName, "client_registrations.byClient", () =>
    db.prepare(
      `SELECT c.*, r.registration_token_hash, r.extra_metadata, r.registration_policy, r.created_at AS registered_at
       FROM client_registrations r JOIN oauth_clients c ON c.client_id = r.client_id WHERE r.client_id = ?`
    ).bind(clientId).first<RegistrationRow>())
  if (row === null) return null
  const cached = cachedFromRow(row)
  if (!cached.found) return null
  const registration: Registration = {
    cached,
    tokenHash: row.registration_token_hash,
    extra: Option.getOrElse(decodeExtra(row.extra_metadata), () => ({})),
    policy: Option.getOrElse(decodePolicy(row.registration_policy), () => ({})),
    registeredAt: row.registered_at
  }
  return registration
})

/** The registration of `clientId` when `token` is its registration access token (constant-time compare), else `invalid_token`. */
export const authenticateRegistration = Effect.fnUntraced(function*(clientId: string, token: string) {
  const presented = yield* hashRegistrationAccessToken(token)
  const registration = yield* loadRegistration(clientId)
  if (registration === null || !timingSafeEqual(presented, registration.tokenHash)) return yield* invalidToken()
  return registration
})
