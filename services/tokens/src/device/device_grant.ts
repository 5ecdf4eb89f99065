/**
 * The device authorization grant (RFC 8628): minting the two codes, the
 * verification page's look-up and decision, and the device's polls at the
 * token endpoint. The DeviceCodeStore decides every race; this module hashes,
 * routes and issues.
 */
import { sha256Base64url } from "@authrim/platform"
import { NotFound, OAuthError, type DeviceAuthorization, type DeviceContract, type DeviceRequest, type TokenSet, type Unavailable } from "@authrim/contracts"
import { Clock, Effect } from "effect"
import { issueRefreshFamily, refreshKindOf } from "../grants/refresh_family_issuance.ts"
import { issueTokenSet } from "../issue_tokens.ts"
import { configuredLifetimes } from "../token_lifetimes.ts"
import { newFamilyId, newJti } from "../token_format.ts"
import { callStore, type TokenStores } from "../token_stores.ts"
import type { DeviceApproval } from "./device_code_store.ts"
import { deviceCodeShardOf, displayUserCode, newDeviceCode, newUserCode, normaliseUserCode, userCodeShardOf } from "./device_code_format.ts"
import { deviceCodeTtlMs, devicePollIntervalSeconds } from "./device_code_lifetimes.ts"
import { DeviceCodeStores } from "./device_stores.ts"
import { auditTokenIssued } from "../token_audit.ts"
import type { AuditTrail } from "@authrim/audit-trail"

type DecideInput = typeof DeviceContract.decideDeviceCode.input.Type
type PollInput = typeof DeviceContract.pollDeviceCode.input.Type

/** Fresh user codes drawn before giving up: a live collision needs ~10^5 live codes per shard to be likely even once. */
const userCodeAttempts = 5

const unknownUserCode = () => new NotFound({ what: "user code" })

/** Mints a device code and a user code in the user code's shard (RFC 8628 §3.2). */
export const startDeviceAuthorization = Effect.fnUntraced(function*(input: { readonly clientId: string; readonly scope: string }): Effect.fn.Return<DeviceAuthorization, OAuthError | Unavailable, DeviceCodeStores> {
  const { deviceStore } = yield* DeviceCodeStores
  const now = yield* Clock.currentTimeMillis
  for (let attempt = 0; attempt < userCodeAttempts; attempt++) {
    const userCode = newUserCode()
    const deviceCode = newDeviceCode(userCode)
    const shard = deviceCodeShardOf(deviceCode) ?? ""
    const [deviceCodeHash, userCodeHash] = yield* Effect.all([sha256Base64url(deviceCode), sha256Base64url(userCode)])
    const created = yield* callStore("device.create", () => deviceStore(shard).create({
      deviceCodeHash, userCodeHash, clientId: input.clientId, scope: input.scope, now,
      expiresAt: now + deviceCodeTtlMs, interval: devicePollIntervalSeconds
    }))
    if (created) {
      return { deviceCode, userCode: displayUserCode(userCode), expiresIn: deviceCodeTtlMs / 1000, interval: devicePollIntervalSeconds }
    }
  }
  return yield* new OAuthError({ code: "temporarily_unavailable", description: "could not allocate a user code, retry" })
})

/** The shard and hash of a typed user code, or `NotFound`. */
const locateUserCode = Effect.fnUntraced(function*(typed: string) {
  const normalised = normaliseUserCode(typed)
  const shard = userCodeShardOf(typed)
  if (normalised === null || shard === null) return yield* unknownUserCode()
  return { normalised, shard, userCodeHash: yield* sha256Base64url(normalised) }
})

/** What a live user code asks for. */
export const describeDeviceCode = Effect.fnUntraced(function*(input: { readonly userCode: string }): Effect.fn.Return<DeviceRequest, NotFound | Unavailable, DeviceCodeStores> {
  const { deviceStore } = yield* DeviceCodeStores
  const code = yield* locateUserCode(input.userCode)
  const now = yield* Clock.currentTimeMillis
  const view = yield* callStore("device.describe", async () => deviceStore(code.shard).describe({ userCodeHash: code.userCodeHash, now }))
  if (view === null) return yield* unknownUserCode()
  return { ...view, userCode: displayUserCode(code.normalised) }
})

/** Records the user's decision; only the first decision of a pending code counts. */
export const decideDeviceCode = Effect.fnUntraced(function*(input: DecideInput): Effect.fn.Return<{ status: "approved" | "denied" }, OAuthError | NotFound | Unavailable, DeviceCodeStores> {
  const { deviceStore } = yield* DeviceCodeStores
  const code = yield* locateUserCode(input.userCode)
  const now = yield* Clock.currentTimeMillis
  const approve = input.decision === "approve"
  const approval = {
    userId: input.userId, authTime: input.authTime, acr: input.acr, amr: input.amr, sid: input.sid,
    sessionExpiresAt: input.sessionExpiresAt ?? null
  }
  const outcome = yield* callStore("device.decide", async () =>
    deviceStore(code.shard).decide({ userCodeHash: code.userCodeHash, approve, approval, now }))
  if (outcome._tag === "unknown") return yield* unknownUserCode()
  if (outcome._tag === "already_decided") {
    return yield* new OAuthError({ code: "invalid_request", description: "this code has already been approved or denied" })
  }
  return { status: approve ? "approved" as const : "denied" as const }
})

const pollError = (code: "authorization_pending" | "slow_down" | "access_denied" | "expired_token" | "invalid_grant", description: string) =>
  new OAuthError({ code, description })

/** One poll of the device_code grant; on the first poll after approval, the tokens. */
export const pollDeviceCode = Effect.fnUntraced(function*(input: PollInput): Effect.fn.Return<TokenSet, OAuthError | Unavailable, TokenStores | DeviceCodeStores | AuditTrail> {
  const shard = deviceCodeShardOf(input.deviceCode)
  if (shard === null) return yield* pollError("invalid_grant", "unknown device_code")
  const { deviceStore } = yield* DeviceCodeStores
  const deviceCodeHash = yield* sha256Base64url(input.deviceCode)
  const now = yield* Clock.currentTimeMillis
  const outcome = yield* callStore("device.poll", async () => deviceStore(shard).poll({ deviceCodeHash, clientId: input.clientId, now }))
  switch (outcome._tag) {
    case "authorization_pending":
      return yield* pollError("authorization_pending", "the user has not yet approved the request")
    case "slow_down":
      return yield* pollError("slow_down", `polling too fast; wait at least ${outcome.interval} seconds between requests`)
    case "access_denied":
      return yield* pollError("access_denied", "the user denied the request")
    case "expired_token":
      return yield* pollError("expired_token", "the device_code has expired; start a new device authorization")
    case "invalid_grant":
      return yield* pollError("invalid_grant", outcome.reason)
    case "granted":
      return yield* issueDeviceTokens(input, outcome.scope, outcome.approval, outcome.decidedAt, now)
  }
})

/** Issues what an approved code grants: access token, ID token for openid, refresh token per client and scope. */
const issueDeviceTokens = Effect.fnUntraced(function*(input: PollInput, scope: string, approval: DeviceApproval, decidedAt: number, now: number) {
  const access = { jti: newJti(), expiresAt: now + (yield* configuredLifetimes).accessTokenTtlMs }
  const kind = refreshKindOf({
    issueRefreshToken: input.issueRefreshToken, onlineRefreshTokens: input.onlineRefreshTokens,
    scope, sid: approval.sid, sessionExpiresAt: approval.sessionExpiresAt, now
  })
  let refreshToken: string | null = null
  let sid = approval.sid
  if (kind !== null) {
    const family = yield* issueRefreshFamily({
      kind, familyId: newFamilyId(), clientId: input.clientId, userId: approval.userId, scope, authTime: approval.authTime,
      sid: approval.sid, sessionExpiresAt: approval.sessionExpiresAt ?? null, amr: approval.amr, acr: approval.acr,
      grantedAt: decidedAt, now, access,
      // RFC 9449 §5: as for the code grant, a public client's family is bound to the proof key.
      ...(input.bindRefreshToDpop === true && input.dpopJkt !== undefined ? { dpopJkt: input.dpopJkt } : {})
    })
    refreshToken = family.refreshToken
    sid = family.sid
  }
  const facts = { issuer: input.issuer, clientId: input.clientId, userId: approval.userId, scope, authTime: approval.authTime, acr: approval.acr, amr: approval.amr, sid }
  const tokens = yield* issueTokenSet({
    facts, idTokenAlg: input.idTokenAlg, nonce: null, accessJti: access.jti, accessExpiresAt: access.expiresAt, now, refreshToken,
    dpopJkt: input.dpopJkt, pairwiseSector: input.pairwiseSector
  })
  yield* auditTokenIssued({
    grant: "device_code", clientId: input.clientId, userId: approval.userId, scope, dpopBound: input.dpopJkt !== undefined, refreshIssued: refreshToken !== null
  })
  return tokens
})
