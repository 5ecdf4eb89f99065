/**
 * Finds private key material anywhere in a value: JWK private members
 * (RFC 7518 §6.2.2, §6.3.2, §6.4.1: d, p, q, dp, dq, qi, oth, k) as object
 * keys, PEM private-key blocks in strings, and the same inside the header and
 * payload of any compact JWS found in a string.
 */
import { base64url } from "jose"

const privateJwkMembers = new Set(["d", "p", "q", "dp", "dq", "qi", "oth", "k"])
const pemPrivateKey = /-----BEGIN [A-Z ]*PRIVATE KEY-----/
const compactJws = /^[\w-]+\.[\w-]+\.[\w-]*$/

const decodeSegment = (segment: string): unknown => {
  try {
    return JSON.parse(new TextDecoder().decode(base64url.decode(segment)))
  } catch {
    return undefined
  }
}

/** Paths (like `value.keys[0].d`) where private key material was found. */
export const findPrivateKeyMaterial = (value: unknown, path = "value"): Array<string> => {
  if (typeof value === "string") {
    if (pemPrivateKey.test(value)) return [`${path} (PEM)`]
    if (!compactJws.test(value)) return []
    return value.split(".").slice(0, 2).flatMap((segment, i) => findPrivateKeyMaterial(decodeSegment(segment), `${path}<jws ${i}>`))
  }
  if (Array.isArray(value)) return value.flatMap((item, i) => findPrivateKeyMaterial(item, `${path}[${i}]`))
  if (typeof value === "object" && value !== null) {
    return Object.entries(value).flatMap(([key, member]) => [
      ...(privateJwkMembers.has(key) ? [`${path}.${key}`] : []),
      ...findPrivateKeyMaterial(member, `${path}.${key}`)
    ])
  }
  return []
}
