/**
 * Rotation policy of the signing keys (DESIGN §2). Pure functions of a key
 * row and the current time, so the DO and the tests agree on one rule.
 */
import type { SigningAlg } from "@authrim/contracts"

const day = 24 * 60 * 60 * 1000

/** An active key signs for 90 days, then a new key of the same alg replaces it. */
export const rotateAfterMs = 90 * day

/**
 * A retired key stays in the JWKS this long so tokens it signed keep
 * verifying (longer than any token or cached JWKS lives), then it is deleted.
 */
export const verifyWindowMs = 30 * day

/** Every alg the provider keeps a key for; RS256 first because it is the OIDC default. */
export const signingAlgs: ReadonlyArray<SigningAlg> = ["RS256", "ES256"]

/** True when an active key created at `createdAt` must be replaced at `now`. */
export const isRotationDue = (createdAt: number, now: number): boolean => now - createdAt >= rotateAfterMs

/** When a key retired at `retiredAt` leaves the JWKS (epoch ms). */
export const retiresAt = (retiredAt: number): number => retiredAt + verifyWindowMs

/** True when a key retired at `retiredAt` may no longer verify anything at `now`. */
export const isPastVerifyWindow = (retiredAt: number, now: number): boolean => now >= retiresAt(retiredAt)
