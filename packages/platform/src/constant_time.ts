/** Constant-time comparison of secret-derived strings. */
const encoder = new TextEncoder()

/** Equality whose running time depends only on the lengths, never on where the strings first differ. */
export const timingSafeEqual = (a: string, b: string): boolean => {
  const left = encoder.encode(a)
  const right = encoder.encode(b)
  let diff = left.length ^ right.length
  const length = Math.max(left.length, right.length)
  for (let i = 0; i < length; i++) diff |= (left[i] ?? 0) ^ (right[i] ?? 0)
  return diff === 0
}
