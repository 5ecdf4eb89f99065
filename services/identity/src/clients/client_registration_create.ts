/**
 * RFC 7591 §3 dynamic client registration. Order matters:
 * 1. the initial access token must exist and be unexpired (else `invalid_token`);
 * 2. the metadata is read and checked (registration_metadata.ts, then the
 *    checks every client write makes) and must fit the token's policy — all
 *    before anything is written, so bad metadata never spends a single-use token;
 * 3. the token is spent (single use: atomically, exactly one winner);
 * 4. the client row and its registration row are written in ONE D1 batch (a
 *    transaction); if that fails the single-use token is given back.
 * The client id is server-chosen (`dcr_` + 128 random bits, base64url); a
 * confidential client's secret and the registration access token are answered
 * this once and stored as SHA-256 hashes.
 */
import { tryD1, type RegisteredClient, type RegistrationPolicy } from "@authrim/contracts"
import { randomBase64url } from "@authrim/platform"
import { Clock, Effect } from "effect"
import { IdentityBindings, serviceName } from "../identity_bindings.ts"
import { invalidateClient } from "./client_cache.ts"
import { normalizeClientInput } from "./client_metadata.ts"
import { clientUpsertStatement } from "./client_row_write.ts"
import { registeredLinksStatement } from "./registered_client_links.ts"
import { hashClientSecret } from "./client_secret.ts"
import { deleteInitialAccessToken } from "./initial_access_token_store.ts"
import { findToken, releaseToken, spendToken } from "./initial_access_token_redeem.ts"
import { hashRegistrationAccessToken, loadRegistration, newRegistrationAccessToken } from "./registration_access_token.ts"
import { auditRegisteredClientChange, tokenLabel } from "./registration_audit.ts"
import { definedExtra, readRegistrationMetadata } from "./registration_metadata.ts"
import { checkRegistrationPolicy, defaultScopeOf } from "./registration_policy_check.ts"
import { registrationDocument } from "./registration_response.ts"

/** A new client id: not secret, unguessable enough that ids say nothing about each other. */
const newClientId = (): string => `dcr_${randomBase64url(16)}`

/** Registers a client from RFC 7591 metadata; `initialAccessToken` null = open registration (the edge allowed it). */
export const registerClient = Effect.fnUntraced(function*(input: { readonly metadata: Record<string, unknown>; readonly initialAccessToken: string | null }) {
  const token = input.initialAccessToken === null ? null : yield* findToken(input.initialAccessToken)
  const policy: RegistrationPolicy = token?.policy ?? {}
  const request = yield* readRegistrationMetadata(input.metadata)
  const clientId = newClientId()
  const metadata = yield* normalizeClientInput({ ...request.input, scope: request.input.scope ?? defaultScopeOf(policy), clientId })
  yield* checkRegistrationPolicy(policy, metadata)

  if (token !== null) yield* spendToken(token, clientId)
  const { db } = yield* IdentityBindings
  const now = yield* Clock.currentTimeMillis
  const secretHash = metadata.clientSecret === null ? null : yield* hashClientSecret(metadata.clientSecret)
  const registrationAccessToken = newRegistrationAccessToken()
  const registrationHash = yield* hashRegistrationAccessToken(registrationAccessToken)
  const extra = definedExtra(request.extra)
  yield* tryD1(serviceName, "client_registrations.create", () => db.batch([
    clientUpsertStatement(db, metadata, secretHash, now),
    registeredLinksStatement(db, clientId, request.extra),
    db.prepare(
      `INSERT INTO client_registrations (client_id, registration_token_hash, extra_metadata, initial_access_token_id, registration_policy, created_at, updated_at)
       VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6) ON CONFLICT (client_id) DO NOTHING`
    ).bind(clientId, registrationHash, JSON.stringify(extra), token?.id ?? null, JSON.stringify(policy), now)
  ])).pipe(Effect.tapError(() => token === null ? Effect.void : Effect.ignore(releaseToken(token, clientId))))
  yield* invalidateClient(clientId)
  // A spent single-use token leaves the admin's listing too (best effort: the D1 mark is what refuses it).
  if (token !== null && token.singleUse) yield* Effect.ignore(deleteInitialAccessToken(token.id))

  yield* auditRegisteredClientChange({
    type: "client.created", clientId, actor: token === null ? "system" : "client",
    details: { auth_method: metadata.tokenEndpointAuthMethod, initial_access: token === null ? null : tokenLabel(token.id) }
  })
  const registration = yield* loadRegistration(clientId)
  const document = registration === null ? {} : registrationDocument(registration.cached.client, registration.extra, registration.registeredAt)
  const answer: RegisteredClient = {
    clientId,
    ...(metadata.clientSecretGenerated && metadata.clientSecret !== null ? { clientSecret: metadata.clientSecret } : {}),
    registrationAccessToken,
    metadata: document
  }
  return answer
})
