/**
 * A pending round trip to an upstream provider, in KV for 600 s (DESIGN §2):
 * STATE_STORE `upstream-state:<sha256 hex(state)>` → {@link RoundTrip} and
 * NONCE_STORE `upstream-nonce:<sha256 hex(nonce)>` → the state hash. Only
 * hashes of state and nonce are keys, so reading KV does not reveal a live
 * value.
 *
 * KV is eventually consistent and has no compare-and-delete, so "single use"
 * here is best effort: the record is deleted on first read, and it is also
 * bound to the browser that started it (hash of its CSRF cookie). What makes a
 * sign-in complete at most once is downstream and atomic: the upstream code is
 * single use at the upstream, and the edge's login transaction is consumed in
 * the ChallengeStore (`completeSignIn`). A replayed state within KV's
 * propagation window therefore cannot produce a second session.
 */
import { Unavailable } from "@authrim/contracts"
import { Effect, Schema } from "effect"
import { UpstreamBindings, upstreamServiceName } from "./upstream_bindings.ts"

/** Lifetime of state and nonce (DESIGN §2: STATE_STORE / NONCE_STORE 600 s). */
export const ROUND_TRIP_TTL_SECONDS = 600

/** What the callback needs to finish. */
export const RoundTrip = Schema.Struct({
  providerId: Schema.String,
  loginTx: Schema.String,
  redirectUri: Schema.String,
  /** PKCE (RFC 7636) verifier: needed in plaintext for the token request. */
  codeVerifier: Schema.String,
  nonceHash: Schema.String,
  /** sha256 hex of the browser's CSRF cookie. */
  browserHash: Schema.String,
  createdAt: Schema.Number
})
/** Type of {@link RoundTrip}. */
export type RoundTrip = typeof RoundTrip.Type

const decodeRoundTrip = Schema.decodeUnknownOption(Schema.fromJsonString(RoundTrip))

const kvCall = <A>(operation: string, run: () => Promise<A>) =>
  Effect.tryPromise({ try: run, catch: (cause) => new Unavailable({ service: upstreamServiceName, reason: `KV ${operation}: ${String(cause)}` }) })

const stateKey = (stateHash: string) => `upstream-state:${stateHash}`
const nonceKey = (nonceHash: string) => `upstream-nonce:${nonceHash}`

/** Stores both halves of a round trip. */
export const saveRoundTrip = Effect.fnUntraced(function*(stateHash: string, roundTrip: RoundTrip) {
  const { stateKv, nonceKv } = yield* UpstreamBindings
  const ttl = { expirationTtl: ROUND_TRIP_TTL_SECONDS }
  yield* kvCall("STATE_STORE.put", () => stateKv.put(stateKey(stateHash), JSON.stringify(roundTrip), ttl))
  yield* kvCall("NONCE_STORE.put", () => nonceKv.put(nonceKey(roundTrip.nonceHash), stateHash, ttl))
})

/** Reads and deletes the round trip of `stateHash`; `null` when unknown, used or expired. */
export const takeRoundTrip = Effect.fnUntraced(function*(stateHash: string) {
  const { stateKv } = yield* UpstreamBindings
  const raw = yield* kvCall("STATE_STORE.get", () => stateKv.get(stateKey(stateHash)))
  if (raw === null) return null
  yield* kvCall("STATE_STORE.delete", () => stateKv.delete(stateKey(stateHash)))
  const decoded = decodeRoundTrip(raw)
  return decoded._tag === "Some" ? decoded.value : null
})

/** True when `nonceHash` is pending for `stateHash`; deletes it either way it matched (a nonce is used once). */
export const takeNonce = Effect.fnUntraced(function*(nonceHash: string, stateHash: string) {
  const { nonceKv } = yield* UpstreamBindings
  const owner = yield* kvCall("NONCE_STORE.get", () => nonceKv.get(nonceKey(nonceHash)))
  if (owner !== stateHash) return false
  yield* kvCall("NONCE_STORE.delete", () => nonceKv.delete(nonceKey(nonceHash)))
  return true
})
