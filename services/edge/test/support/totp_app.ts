/**
 * The tests' authenticator app: an independent RFC 6238 implementation
 * (HMAC-SHA-1, 6 digits, 30 s) over a base32 key, so the codes the edge
 * accepts are computed here and not by the code under test. Checked against
 * RFC 6238 Appendix B in `totp_second_factor.test.ts`.
 */

const BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"

/** RFC 4648 base32 → bytes (spaces ignored). */
export const fromBase32 = (text: string): Uint8Array<ArrayBuffer> => {
  const bits = [...text.replace(/\s/g, "").toUpperCase()].map((c) => {
    const v = BASE32.indexOf(c)
    if (v < 0) throw new Error(`not base32: ${c}`)
    return v.toString(2).padStart(5, "0")
  }).join("")
  return Uint8Array.from({ length: Math.floor(bits.length / 8) }, (_, i) => parseInt(bits.slice(i * 8, i * 8 + 8), 2))
}

/** The TOTP of `key` for time step `step` with `digits` digits (RFC 4226 §5.3 truncation). */
export const totpForStep = async (key: Uint8Array, step: number, digits = 6): Promise<string> => {
  const hmacKey = await crypto.subtle.importKey("raw", new Uint8Array(key), { name: "HMAC", hash: "SHA-1" }, false, ["sign"])
  const counter = new Uint8Array(8)
  let rest = step
  for (let i = 7; i >= 0; i--) {
    counter[i] = rest % 256
    rest = Math.floor(rest / 256)
  }
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", hmacKey, counter))
  const o = mac[19]! & 0xf
  const value = ((mac[o]! & 0x7f) * 2 ** 24) + mac[o + 1]! * 2 ** 16 + mac[o + 2]! * 2 ** 8 + mac[o + 3]!
  return String(value % 10 ** digits).padStart(digits, "0")
}

/** The current RFC 6238 time step (30 s from the epoch). */
export const currentStep = (): number => Math.floor(Date.now() / 30_000)

/** An app holding a base32 key: the code `offset` steps from the test's starting step. */
export const authenticatorApp = (base32Key: string, startStep = currentStep()) => {
  const key = fromBase32(base32Key)
  return { code: (offset = 0) => totpForStep(key, startStep + offset) }
}
