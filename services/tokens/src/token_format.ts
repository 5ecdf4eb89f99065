/**
 * Wire formats of the opaque credentials. Both carry their routing so a
 * redemption needs no index lookup:
 * - authorization code `ac<NN>_<sealed grant>`: NN is the code shard, the rest
 *   is the grant sealed with AES-GCM (sealed_code.ts), at least 60 characters;
 *   codes minted before issue 10 were `ac<NN>_<43 random chars>`, stored in
 *   their shard (still redeemable while one can be in flight, see {@link parseCode});
 * - refresh token `rt_<familyId>.<secret>`: familyId is 16 random bytes and the
 *   secret 32 random bytes, both base64url (no `.` in that alphabet).
 * The routing parts are not secret; the whole string is what gets hashed.
 */
import { randomBase64url } from "@authrim/platform"
import { codeShardCount, codeShardName, randomCodeShardIndex } from "./shard_routing.ts"

const codePattern = /^ac(\d{2})_([A-Za-z0-9_-]{43,})$/
const refreshPattern = /^rt_([A-Za-z0-9_-]{22})\.[A-Za-z0-9_-]{43}$/

/** A random code shard for a new code. */
export const newCodeShard = (): string => codeShardName(randomCodeShardIndex())

/** A parsed code: its shard, its body, and whether it is a stored (pre-issue-10) code rather than a sealed one. */
export interface ParsedCode {
  readonly shard: string
  readonly body: string
  readonly stored: boolean
}

/** Shard and body of a code, or null when the string is not one of our codes. */
export const parseCode = (code: string): ParsedCode | null => {
  const match = codePattern.exec(code)
  if (match === null) return null
  const index = Number(match[1])
  if (index >= codeShardCount) return null
  return { shard: codeShardName(index), body: match[2]!, stored: match[2]!.length === 43 }
}

/** The shard a code names, or null when the string is not one of our codes. */
export const codeShardOf = (code: string): string | null => parseCode(code)?.shard ?? null

/** A new refresh-token family id (128 random bits). */
export const newFamilyId = (): string => randomBase64url(16)

/** A refresh token of `familyId` with a fresh secret. */
export const newRefreshToken = (familyId: string): string => `rt_${familyId}.${randomBase64url(32)}`

/** The family a refresh token names, or null when the string is not one of our refresh tokens. */
export const familyIdOf = (refreshToken: string): string | null => refreshPattern.exec(refreshToken)?.[1] ?? null

/** A JWT id (128 random bits). */
export const newJti = (): string => randomBase64url(16)
