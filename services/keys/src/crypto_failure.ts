/**
 * A WebCrypto/jose step of the keys service that rejected (key generation,
 * import, signing) as the contract's `Unavailable`: the caller cannot fix it
 * by changing its request, and the edge answers `temporarily_unavailable`.
 */
import { Unavailable } from "@authrim/contracts"

/** The `catch` of an `Effect.tryPromise` around crypto step `operation`. */
export const cryptoFailure = (operation: string) => (cause: unknown): Unavailable =>
  new Unavailable({ service: "keys", reason: `${operation}: ${cause instanceof Error ? cause.message : String(cause)}` })
