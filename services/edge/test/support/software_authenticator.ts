/**
 * A software WebAuthn authenticator for the tests: real ES256 keys
 * (WebCrypto P-256), real `attestationObject` (fmt "none", CBOR, attested
 * credential data with a COSE key), real `clientDataJSON`, and real
 * assertions (authenticatorData + DER ECDSA signature over
 * `authenticatorData ‖ SHA-256(clientDataJSON)`) — so the server's
 * verification runs for real. It plays browser and authenticator at once:
 * the `origin` it writes into clientDataJSON and the `rpId` it hashes can be
 * overridden to act as a phishing page or a wrong relying party.
 *
 * Flags (WebAuthn L3 §6.1): UP 0x01, UV 0x04, AT 0x40. BE/BS stay 0: these
 * are single-device credentials.
 */
import { Schema } from "effect"
import { encodeCbor, type CborValue } from "./cbor.ts"

/** The origin and RP id the identity worker accepts by default (services/identity/wrangler.jsonc). */
export const WEBAUTHN_ORIGIN = "http://localhost:8787"
export const WEBAUTHN_RP_ID = "localhost"

const base64url = (bytes: Uint8Array): string =>
  btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "")
const fromBase64url = (text: string): Uint8Array =>
  Uint8Array.from(atob(text.replace(/-/g, "+").replace(/_/g, "/")), (c) => c.charCodeAt(0))
const utf8 = (text: string) => new TextEncoder().encode(text)
const sha256 = async (bytes: Uint8Array) => new Uint8Array(await crypto.subtle.digest("SHA-256", bytes))
const concat = (...parts: ReadonlyArray<Uint8Array>) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0))
  let at = 0
  for (const p of parts) {
    out.set(p, at)
    at += p.length
  }
  return out
}
const uint32 = (n: number) => Uint8Array.of((n >>> 24) & 0xff, (n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff)

/** WebCrypto's raw r‖s ECDSA signature as the ASN.1 DER `SEQUENCE { r INTEGER, s INTEGER }` WebAuthn wants. */
const derSignature = (raw: Uint8Array): Uint8Array => {
  const integer = (bytes: Uint8Array) => {
    let i = 0
    while (i < bytes.length - 1 && bytes[i] === 0) i++
    const trimmed = bytes.slice(i)
    const body = trimmed[0]! & 0x80 ? concat(Uint8Array.of(0), trimmed) : trimmed
    return concat(Uint8Array.of(0x02, body.length), body)
  }
  const body = concat(integer(raw.slice(0, 32)), integer(raw.slice(32)))
  return concat(Uint8Array.of(0x30, body.length), body)
}

/** Options JSON as the server sends them (only the fields the authenticator reads). */
const CreationOptions = Schema.Struct({
  challenge: Schema.String,
  rp: Schema.Struct({ id: Schema.optional(Schema.String) }),
  user: Schema.Struct({ id: Schema.String })
})
const RequestOptions = Schema.Struct({
  challenge: Schema.String,
  allowCredentials: Schema.optional(Schema.Array(Schema.Struct({ id: Schema.String })))
})

interface StoredCredential {
  readonly id: string
  readonly keys: CryptoKeyPair
  readonly userHandle: string
  counter: number
}

/** What the caller may change to act out an attack or a broken device. */
export interface CeremonyOverrides {
  readonly origin?: string
  readonly rpId?: string
  /** Signature counter to report (default: previous + 1). */
  readonly counter?: number
  /** Which credential to use (default: the first allowed one this authenticator holds). */
  readonly credentialId?: string
  /** Omit the userHandle from the assertion (non-discoverable style). */
  readonly omitUserHandle?: boolean
}

export class SoftwareAuthenticator {
  readonly credentials: StoredCredential[] = []

  /** `navigator.credentials.create` + the authenticator: a new ES256 credential for `options`. */
  async create(optionsJson: Readonly<Record<string, unknown>>, overrides: CeremonyOverrides = {}) {
    const options = Schema.decodeUnknownSync(CreationOptions)(optionsJson)
    const keys = await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, true, ["sign", "verify"])
    if (!("privateKey" in keys)) throw new Error("ECDSA generateKey returns a key pair")
    const id = base64url(crypto.getRandomValues(new Uint8Array(32)))
    const jwk = await crypto.subtle.exportKey("jwk", keys.publicKey)
    if (jwk instanceof ArrayBuffer || jwk.x === undefined || jwk.y === undefined) throw new Error("expected an EC JWK")
    const coseKey = encodeCbor(new Map<number, number | Uint8Array>([
      [1, 2], // kty: EC2
      [3, -7], // alg: ES256
      [-1, 1], // crv: P-256
      [-2, fromBase64url(jwk.x)],
      [-3, fromBase64url(jwk.y)]
    ]))
    const credentialId = fromBase64url(id)
    const rpId = overrides.rpId ?? options.rp.id ?? WEBAUTHN_RP_ID
    const authData = concat(
      await sha256(utf8(rpId)),
      Uint8Array.of(0x01 | 0x04 | 0x40),
      uint32(overrides.counter ?? 0),
      new Uint8Array(16), // AAGUID: zero for a "none" attestation
      Uint8Array.of(credentialId.length >> 8, credentialId.length & 0xff),
      credentialId,
      coseKey
    )
    const attestationObject = encodeCbor(new Map<string, CborValue>([
      ["fmt", "none"],
      ["attStmt", new Map()],
      ["authData", authData]
    ]))
    const clientDataJSON = utf8(JSON.stringify({
      type: "webauthn.create",
      challenge: options.challenge,
      origin: overrides.origin ?? WEBAUTHN_ORIGIN,
      crossOrigin: false
    }))
    this.credentials.push({ id, keys, userHandle: options.user.id, counter: overrides.counter ?? 0 })
    return {
      id,
      rawId: id,
      type: "public-key" as const,
      response: { clientDataJSON: base64url(clientDataJSON), attestationObject: base64url(attestationObject), transports: ["internal"] },
      authenticatorAttachment: "platform" as const
    }
  }

  /** `navigator.credentials.get` + the authenticator: an assertion for `options`. */
  async get(optionsJson: Readonly<Record<string, unknown>>, overrides: CeremonyOverrides = {}) {
    const options = Schema.decodeUnknownSync(RequestOptions)(optionsJson)
    const allowed = (options.allowCredentials ?? []).map((c) => c.id)
    const credential = this.credentials.find((c) =>
      overrides.credentialId !== undefined ? c.id === overrides.credentialId : allowed.length === 0 || allowed.includes(c.id)
    )
    if (credential === undefined) throw new Error("the authenticator holds no allowed credential")
    credential.counter = overrides.counter ?? credential.counter + 1
    const authenticatorData = concat(
      await sha256(utf8(overrides.rpId ?? WEBAUTHN_RP_ID)),
      Uint8Array.of(0x01 | 0x04),
      uint32(credential.counter)
    )
    const clientDataJSON = utf8(JSON.stringify({
      type: "webauthn.get",
      challenge: options.challenge,
      origin: overrides.origin ?? WEBAUTHN_ORIGIN,
      crossOrigin: false
    }))
    const signed = concat(authenticatorData, await sha256(clientDataJSON))
    const raw = new Uint8Array(await crypto.subtle.sign({ name: "ECDSA", hash: "SHA-256" }, credential.keys.privateKey, signed))
    return {
      id: credential.id,
      rawId: credential.id,
      type: "public-key" as const,
      response: {
        clientDataJSON: base64url(clientDataJSON),
        authenticatorData: base64url(authenticatorData),
        signature: base64url(derSignature(raw)),
        userHandle: overrides.omitUserHandle === true ? null : credential.userHandle
      },
      authenticatorAttachment: "platform" as const
    }
  }
}
