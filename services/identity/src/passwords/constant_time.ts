/**
 * Constant-time equality for secret-derived bytes. Lengths are not secret here
 * (both sides are fixed-size digests), so a length mismatch returns early.
 */
export const constantTimeEqual = (a: Uint8Array, b: Uint8Array): boolean =>
  a.byteLength === b.byteLength && crypto.subtle.timingSafeEqual(a, b)
