/**
 * Pairwise subject identifiers (OIDC Core §8.1), computed here and nowhere else:
 *
 *   sub = base64url(HMAC-SHA256(PAIRWISE_SUBJECT_SECRET, sector + "\n" + userId))
 *
 * `sector` is the host of the client's `sector_identifier_uri`, else of its one
 * redirect_uri host (contracts/src/pairwise_sector.ts; the edge sends it as
 * `pairwiseSector`). Two clients of one sector see one `sub` for a user;
 * clients of different sectors cannot correlate theirs.
 *
 * The tokens of a pairwise client also carry `authrim_user`: the real user id
 * sealed (AES-256-GCM, random 96-bit IV, `base64url(iv ‖ ciphertext)`) under a
 * key derived from the same secret (HMAC-SHA256(secret, "authrim-user-seal-v1"),
 * an input no subject can have: every subject input holds a "\n"). The RP cannot
 * read it; the tokens service opens it where the system needs the real user
 * (/userinfo through verifyAccessToken, `id_token_hint` at end_session).
 *
 * `PAIRWISE_SUBJECT_SECRET` (a secret): required in production — unset, every
 * issuance for a pairwise client is `Unavailable` (503, fail closed); public
 * clients never need it. Only `AUTHRIM_ENV=development` falls back to one
 * random secret per isolate (subjects then change with the isolate).
 */
import { base64url, fromBase64url } from "@authrim/platform"
import { Unavailable, type DeploymentVars } from "@authrim/contracts"
import { Effect } from "effect"
import { requiredSecret } from "../secret_setting.ts"

/** The two keys of the feature, derived from one secret. */
export interface PairwiseKeys {
  /** HMAC-SHA256 key of subjects. */
  readonly subject: CryptoKey
  /** AES-GCM key sealing `authrim_user`. */
  readonly seal: CryptoKey
}

/** What issuance needs: the keys, or `Unavailable` when the secret is missing outside development. */
export interface PairwiseSubjects {
  readonly keys: Effect.Effect<PairwiseKeys, Unavailable>
}

/** The env members read here. */
export type PairwiseEnv = DeploymentVars & { readonly PAIRWISE_SUBJECT_SECRET?: string | undefined }

const encoder = new TextEncoder()
const decoder = new TextDecoder()
/** Derivation label of the sealing key (no "\n": never a subject input). */
const SEAL_LABEL = "authrim-user-seal-v1"

let keyCache: { readonly secret: string; readonly keys: PairwiseKeys } | null = null

const fault = (reason: string) => new Unavailable({ service: "tokens", reason })
const why = (cause: unknown) => (cause instanceof Error ? cause.message : String(cause))

/** The configured secret; in development only, else one random secret for the life of this isolate (secret_setting.ts). */
export const pairwiseSecret = (env: PairwiseEnv): Effect.Effect<string, Unavailable> =>
  requiredSecret(env, "PAIRWISE_SUBJECT_SECRET", env.PAIRWISE_SUBJECT_SECRET)

const importKeys = async (secret: string): Promise<PairwiseKeys> => {
  const subject = await crypto.subtle.importKey("raw", encoder.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"])
  const sealBytes = await crypto.subtle.sign("HMAC", subject, encoder.encode(SEAL_LABEL))
  const seal = await crypto.subtle.importKey("raw", sealBytes, { name: "AES-GCM" }, false, ["encrypt", "decrypt"])
  return { subject, seal }
}

/** The keys of `secret`, imported once per isolate (the secret is fixed per deployment). */
export const pairwiseKeysOf = (secret: string): Effect.Effect<PairwiseKeys, Unavailable> =>
  keyCache !== null && keyCache.secret === secret
    ? Effect.succeed(keyCache.keys)
    : Effect.tryPromise({ try: () => importKeys(secret), catch: (cause) => fault(`pairwise keys: ${why(cause)}`) }).pipe(
      Effect.tap((keys) => Effect.sync(() => {
        keyCache = { secret, keys }
      }))
    )

/** The pairwise settings of a worker env. Nothing fails here: a missing secret fails only pairwise issuance. */
export const pairwiseSubjectsOf = (env: PairwiseEnv): PairwiseSubjects => ({
  keys: Effect.suspend(() => pairwiseSecret(env)).pipe(Effect.flatMap(pairwiseKeysOf))
})

/** The pairwise `sub` of `userId` in `sector`: the same string every time, different in every other sector. */
export const pairwiseSubject = Effect.fnUntraced(function*(keys: PairwiseKeys, sector: string, userId: string): Effect.fn.Return<string, Unavailable> {
  const mac = yield* Effect.tryPromise({
    try: () => crypto.subtle.sign("HMAC", keys.subject, encoder.encode(`${sector}\n${userId}`)),
    catch: (cause) => fault(`pairwise subject: ${why(cause)}`)
  })
  return base64url(new Uint8Array(mac))
})

/** `authrim_user`: `userId` sealed, readable only by this service. */
export const sealUser = Effect.fnUntraced(function*(keys: PairwiseKeys, userId: string): Effect.fn.Return<string, Unavailable> {
  const iv = crypto.getRandomValues(new Uint8Array(12))
  const sealed = yield* Effect.tryPromise({
    try: () => crypto.subtle.encrypt({ name: "AES-GCM", iv }, keys.seal, encoder.encode(userId)),
    catch: (cause) => fault(`authrim_user seal: ${why(cause)}`)
  })
  const out = new Uint8Array(12 + sealed.byteLength)
  out.set(iv)
  out.set(new Uint8Array(sealed), 12)
  return base64url(out)
})

/** The user id inside `authrim_user`, or null when it is not one this deployment sealed. */
export const openUser = Effect.fnUntraced(function*(keys: PairwiseKeys, sealed: string): Effect.fn.Return<string | null> {
  const bytes = fromBase64url(sealed)
  if (bytes === null || bytes.byteLength < 12 + 16 + 1) return null
  const plain = yield* Effect.tryPromise({
    try: () => crypto.subtle.decrypt({ name: "AES-GCM", iv: bytes.slice(0, 12) }, keys.seal, bytes.slice(12)),
    catch: () => null
  }).pipe(Effect.orElseSucceed(() => null))
  return plain === null ? null : decoder.decode(plain)
})

/** What a token of `userId` says about its subject: the pairwise `sub` and the sealed user, or the user id itself. */
export interface TokenSubject {
  readonly sub: string
  readonly authrim_user?: string
}

/** The subject claims for `userId`; `sector` undefined: a public subject (no secret needed). */
export const subjectClaims = Effect.fnUntraced(function*(pairwise: PairwiseSubjects, userId: string, sector: string | undefined): Effect.fn.Return<TokenSubject, Unavailable> {
  if (sector === undefined) return { sub: userId }
  const keys = yield* pairwise.keys
  const [sub, sealed] = yield* Effect.all([pairwiseSubject(keys, sector, userId), sealUser(keys, userId)], { concurrency: 2 })
  return { sub, authrim_user: sealed }
})
