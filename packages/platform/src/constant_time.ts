/** Constant-time comparison of secret-derived bytes and strings. */
const encoder = new TextEncoder()

/** Byte equality whose running time depends only on the lengths, never on where the inputs first differ. */
export const constantTimeEqual = (left: Uint8Array, right: Uint8Array): boolean => {
  let diff = left.length ^ right.length
  const length = Math.max(left.length, right.length)
  for (let i = 0; i < length; i++) diff |= (left[i] ?? 0) ^ (right[i] ?? 0)
  return diff === 0
}

/** String equality (UTF-8 bytes) with the same guarantee. */
export const timingSafeEqual = (a: string, b: string): boolean => constantTimeEqual(encoder.encode(a), encoder.encode(b))
