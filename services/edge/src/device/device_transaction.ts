/**
 * The approve/deny form of the verification page is single use: showing it
 * stores a transaction in the identity ChallengeStore (type `consent`, the
 * kind of step it is; 15 minutes) holding the user code, the session that
 * saw it and the browser's CSRF secret. Submitting consumes it atomically, so
 * a form is acted on once; a consent transaction of /consent is never one of
 * these (it has an RP request, this has `deviceUserCode`), and vice versa.
 */
import { OAuthError, type EdgeFailure } from "@authrim/contracts"
import { Effect, Schema } from "effect"
import { Edge } from "../edge_layer.ts"

const DeviceTransactionMetadata = Schema.Struct({
  deviceUserCode: Schema.String,
  csrf: Schema.String,
  sessionId: Schema.String
})

/** A loaded device approval transaction. */
export interface DeviceTransaction {
  readonly id: string
  readonly userCode: string
  readonly csrf: string
  readonly sessionId: string
}

const expired = () => new OAuthError({ code: "invalid_request", description: "this form has expired or was already used; enter the code again" })

/** Stores the transaction for one showing of the approve/deny form; returns its id. */
export const startDeviceTransaction = (
  fields: { readonly userCode: string; readonly csrf: string; readonly sessionId: string; readonly userId: string }
): Effect.Effect<string, EdgeFailure, Edge> =>
  Edge.use(({ backends }) =>
  backends.identity.createChallenge({
    type: "consent",
    userId: fields.userId,
    metadata: { request: null, deviceUserCode: fields.userCode, csrf: fields.csrf, sessionId: fields.sessionId }
  }).pipe(Effect.map((challenge) => challenge.id)))

/** Reads (`peek`) or atomically takes (`consume`) a device transaction. */
export const loadDeviceTransaction = Effect.fnUntraced(function*(
  id: string | undefined,
  mode: "peek" | "consume"
): Effect.fn.Return<DeviceTransaction, EdgeFailure, Edge> {
  const { backends } = yield* Edge
  if (id === undefined) return yield* expired()
  const read = mode === "peek" ? backends.identity.peekChallenge : backends.identity.consumeChallenge
  const challenge = yield* read({ id, type: "consent" }).pipe(Effect.catchTag("NotFound", () => Effect.fail(expired())))
  const metadata = yield* Schema.decodeUnknownEffect(DeviceTransactionMetadata)(challenge.metadata).pipe(Effect.mapError(expired))
  return { id, userCode: metadata.deviceUserCode, csrf: metadata.csrf, sessionId: metadata.sessionId }
})
