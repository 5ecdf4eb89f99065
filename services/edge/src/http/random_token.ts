/**
 * base64url (RFC 4648 §5, no padding) and the random browser secrets built on
 * it — the CSRF cookie, the magic-link binding, the device cookie's id. One
 * encoder for every cookie value the edge mints.
 */
import { base64url } from "@authrim/platform"

/** `length` random bytes as base64url (32 bytes → 43 characters). */
export const randomToken = (length = 32): string => base64url(crypto.getRandomValues(new Uint8Array(length)))

/** The shape of a 32-byte {@link randomToken}: a cookie value is reused only when it has it. */
export const RANDOM_TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/
