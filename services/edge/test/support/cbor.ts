/**
 * Minimal CBOR encoder (RFC 8949) for the software authenticator: exactly the
 * major types WebAuthn attestation objects and COSE keys use — unsigned and
 * negative integers (0/1), byte strings (2), text strings (3), arrays (4)
 * and maps (5) — in definite lengths, map entries in insertion order (the
 * canonical order of COSE keys and `{fmt, attStmt, authData}` as written by
 * the caller). No floats, tags or indefinite lengths: WebAuthn does not need them.
 */

/** A value this encoder can write. Maps are `Map` so integer keys (COSE) keep their type and order. */
export type CborValue = number | string | Uint8Array | ReadonlyArray<CborValue> | ReadonlyMap<number | string, CborValue>

const head = (major: number, length: number): number[] => {
  const m = major << 5
  if (length < 24) return [m | length]
  if (length < 0x100) return [m | 24, length]
  if (length < 0x10000) return [m | 25, length >> 8, length & 0xff]
  return [m | 26, (length >>> 24) & 0xff, (length >> 16) & 0xff, (length >> 8) & 0xff, length & 0xff]
}

const encodeInto = (value: CborValue, out: number[]): void => {
  if (typeof value === "number") {
    if (!Number.isSafeInteger(value)) throw new Error("CBOR: only integers are supported")
    out.push(...(value >= 0 ? head(0, value) : head(1, -1 - value)))
  } else if (typeof value === "string") {
    const bytes = new TextEncoder().encode(value)
    out.push(...head(3, bytes.length), ...bytes)
  } else if (value instanceof Uint8Array) {
    out.push(...head(2, value.length), ...value)
  } else if (value instanceof Map) {
    out.push(...head(5, value.size))
    for (const [k, v] of value) {
      encodeInto(k, out)
      encodeInto(v, out)
    }
  } else if (Array.isArray(value)) {
    out.push(...head(4, value.length))
    for (const item of value) encodeInto(item, out)
  } else {
    throw new Error("CBOR: unsupported value")
  }
}

/** The CBOR encoding of `value`. */
export const encodeCbor = (value: CborValue): Uint8Array => {
  const out: number[] = []
  encodeInto(value, out)
  return Uint8Array.from(out)
}
