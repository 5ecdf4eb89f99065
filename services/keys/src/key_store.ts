/**
 * The KeyManager's SQLite table (schema in storage-schema.md). Reads of the
 * key set never load the private column; only `privateJwkOf` does, and only
 * the internal signing-key path calls it.
 */
import { Context, Effect, Schema } from "effect"
import { SigningAlg, Unavailable } from "@authrim/contracts"
import type { GeneratedKey } from "./key_generation.ts"

/**
 * A published JWK (RFC 7517): RSA (n, e) or EC P-256 (crv, x, y) members only,
 * plus kid, alg and use. Decoding stored JWKs through this shape is a second
 * guard that nothing private is ever published.
 */
export const PublishedJwk = Schema.Struct({
  kty: Schema.String,
  kid: Schema.String,
  alg: SigningAlg,
  use: Schema.Literal("sig"),
  n: Schema.optional(Schema.String),
  e: Schema.optional(Schema.String),
  crv: Schema.optional(Schema.String),
  x: Schema.optional(Schema.String),
  y: Schema.optional(Schema.String)
})
/** Type of {@link PublishedJwk}. */
export type PublishedJwk = typeof PublishedJwk.Type

/** One stored key without its private half. */
export interface StoredKey {
  readonly kid: string
  readonly alg: SigningAlg
  readonly publicJwk: PublishedJwk
  readonly createdAt: number
  readonly active: boolean
  /** When the key stopped signing; null while active. */
  readonly retiredAt: number | null
}

/** The private members a JWK of our two algs can carry (RFC 7518 §6). */
export const PrivateJwk = Schema.Struct({
  kty: Schema.String,
  kid: Schema.String,
  alg: SigningAlg,
  crv: Schema.optional(Schema.String),
  x: Schema.optional(Schema.String),
  y: Schema.optional(Schema.String),
  n: Schema.optional(Schema.String),
  e: Schema.optional(Schema.String),
  d: Schema.String,
  p: Schema.optional(Schema.String),
  q: Schema.optional(Schema.String),
  dp: Schema.optional(Schema.String),
  dq: Schema.optional(Schema.String),
  qi: Schema.optional(Schema.String)
})
/** Type of {@link PrivateJwk}. */
export type PrivateJwk = typeof PrivateJwk.Type

const KeyRow = Schema.Struct({
  kid: Schema.String,
  alg: SigningAlg,
  public_jwk: Schema.fromJsonString(PublishedJwk),
  created_at: Schema.Number,
  active: Schema.Number,
  retired_at: Schema.NullOr(Schema.Number)
})
const decodeKeyRow = Schema.decodeUnknownSync(KeyRow)
const decodePrivateJwk = Schema.decodeUnknownSync(Schema.fromJsonString(PrivateJwk))

const schema = `
CREATE TABLE IF NOT EXISTS signing_keys (
  kid TEXT PRIMARY KEY,
  alg TEXT NOT NULL CHECK (alg IN ('RS256', 'ES256')),
  public_jwk TEXT NOT NULL,
  private_jwk TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  active INTEGER NOT NULL CHECK (active IN (0, 1)),
  retired_at INTEGER
);
CREATE UNIQUE INDEX IF NOT EXISTS signing_keys_one_active_per_alg ON signing_keys (alg) WHERE active = 1;
`

/** Storage of the signing keys inside one KeyManager. */
export class KeyStore extends Context.Service<KeyStore, {
  /** Every stored key without private material: active first, RS256 (the OIDC default) before ES256, newest first. */
  readonly all: Effect.Effect<ReadonlyArray<StoredKey>, Unavailable>
  /** The private JWK of an active key, or undefined when `kid` is not active. */
  readonly privateJwkOf: (kid: string) => Effect.Effect<PrivateJwk | undefined, Unavailable>
  /** Atomically retires `previousKid` (if any) at `now` and stores `key` as the active key of its alg. */
  readonly activate: (key: GeneratedKey, now: number, previousKid: string | undefined) => Effect.Effect<void, Unavailable>
  /** Deletes keys retired at or before `cutoff`; returns how many left. */
  readonly deleteRetiredBefore: (cutoff: number) => Effect.Effect<number, Unavailable>
}>()("@authrim/keys/KeyStore") {
  /** A KeyStore over a Durable Object's SQLite storage; creates the table if needed. */
  static readonly fromStorage = (storage: DurableObjectStorage): KeyStore["Service"] => {
    const sql = storage.sql
    const attempt = <A>(operation: string, run: () => A): Effect.Effect<A, Unavailable> =>
      Effect.try({
        try: run,
        catch: (cause) =>
          new Unavailable({ service: "keys", reason: `KeyManager ${operation}: ${cause instanceof Error ? cause.message : String(cause)}` })
      })
    sql.exec(schema)
    return KeyStore.of({
      all: attempt("read keys", () =>
        sql.exec("SELECT kid, alg, public_jwk, created_at, active, retired_at FROM signing_keys ORDER BY active DESC, alg DESC, created_at DESC, kid")
          .toArray()
          .map((row) => {
            const r = decodeKeyRow(row)
            return { kid: r.kid, alg: r.alg, publicJwk: r.public_jwk, createdAt: r.created_at, active: r.active === 1, retiredAt: r.retired_at }
          })),
      privateJwkOf: (kid) =>
        attempt("read signing key", () => {
          const row = sql.exec("SELECT private_jwk FROM signing_keys WHERE kid = ? AND active = 1", kid).toArray()[0]
          return row === undefined ? undefined : decodePrivateJwk(row.private_jwk)
        }),
      activate: (key, now, previousKid) =>
        attempt("activate key", () =>
          storage.transactionSync(() => {
            if (previousKid !== undefined) {
              sql.exec("UPDATE signing_keys SET active = 0, retired_at = ? WHERE kid = ? AND active = 1", now, previousKid)
            }
            sql.exec(
              "INSERT INTO signing_keys (kid, alg, public_jwk, private_jwk, created_at, active, retired_at) VALUES (?, ?, ?, ?, ?, 1, NULL)",
              key.kid, key.alg, JSON.stringify(key.publicJwk), JSON.stringify(key.privateJwk), now
            )
          })),
      deleteRetiredBefore: (cutoff) =>
        attempt("delete retired keys", () =>
          sql.exec("DELETE FROM signing_keys WHERE active = 0 AND retired_at <= ?", cutoff).rowsWritten)
    })
  }
}
