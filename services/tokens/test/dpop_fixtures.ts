/**
 * DPoP test fixtures: a client key pair and proofs made the way an RP library
 * makes them (jose), with every field overridable to build bad proofs.
 */
import { base64url } from "@authrim/platform"
import { env } from "cloudflare:workers"
import { Clock, Effect } from "effect"
import { calculateJwkThumbprint, exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from "jose"
import { DpopStores } from "../src/dpop/dpop_stores.ts"
import type { ManualClock } from "./token_fixtures.ts"

/** A client's DPoP key pair, its public JWK and its RFC 7638 thumbprint. */
export interface DpopKey {
  readonly privateKey: CryptoKey
  readonly publicJwk: JWK
  readonly jkt: string
}

/** A fresh ES256 DPoP key. */
export const newDpopKey = async (): Promise<DpopKey> => {
  const { privateKey, publicKey } = await generateKeyPair("ES256", { extractable: true })
  const publicJwk = await exportJWK(publicKey)
  return { privateKey, publicJwk, jkt: await calculateJwkThumbprint(publicJwk, "sha256") }
}

/** What a proof says; anything left out gets a valid default. */
export interface ProofFields {
  readonly htm?: string
  readonly htu?: string
  /** Epoch seconds. */
  readonly iat?: number
  readonly jti?: string
  readonly ath?: string
  readonly nonce?: string
  readonly typ?: string
  readonly jwk?: JWK
}

export const tokenEndpoint = "https://op.example/token"

/** A signed proof for `POST /token` at the clock's time unless overridden. */
export const makeProof = (key: DpopKey, clock: ManualClock, fields: ProofFields = {}): Promise<string> =>
  new SignJWT({
    htm: fields.htm ?? "POST",
    htu: fields.htu ?? tokenEndpoint,
    jti: fields.jti ?? base64url(crypto.getRandomValues(new Uint8Array(12))),
    ...(fields.ath === undefined ? {} : { ath: fields.ath }),
    ...(fields.nonce === undefined ? {} : { nonce: fields.nonce })
  })
    .setProtectedHeader({ alg: "ES256", typ: fields.typ ?? "dpop+jwt", jwk: fields.jwk ?? key.publicJwk })
    .setIssuedAt(fields.iat ?? Math.floor(clock.nowMs / 1000))
    .sign(key.privateKey)

/** The `ath` of an access token (RFC 9449 §4.2). */
export const athOf = async (accessToken: string): Promise<string> =>
  base64url(new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(accessToken))))

/** Runs a DPoP program against this worker's real DPoPJTIStore under the test clock. */
export const runDpop = <A, E>(effect: Effect.Effect<A, E, DpopStores>, clock: Clock.Clock): Promise<A> =>
  Effect.runPromise(effect.pipe(Effect.provideService(DpopStores, DpopStores.fromEnv(env)), Effect.provideService(Clock.Clock, clock)))
