/**
 * Wire format and shard of a pushed request's `request_uri` (RFC 9126 §2.2):
 * `urn:ietf:params:oauth:request_uri:par<NN>_<43 chars>`. NN (00…31) is the
 * `PARRequestStore` shard, picked at random when the request is pushed and
 * written into the URI so consuming it needs no lookup; the rest is 32
 * random bytes (256 bits) base64url. The shard is not secret; the whole URI
 * is a bearer reference, so only its SHA-256 is stored.
 */
import { randomBase64url } from "@authrim/platform"
import { PAR_REQUEST_URI_PREFIX } from "@authrim/contracts"

/** Number of PARRequestStore shards. Treat as a wire format: changing it strands live requests. */
export const parShardCount = 32

const requestUriPattern = /^urn:ietf:params:oauth:request_uri:par(\d{2})_[A-Za-z0-9_-]{43}$/

/** Name of the PARRequestStore shard with index `index` (0 ≤ index < 32). */
export const parShardName = (index: number): string => `par${index.toString().padStart(2, "0")}`

/** A uniformly random shard index (rejection-free: 32 divides 256). */
export const randomParShardIndex = (): number => crypto.getRandomValues(new Uint8Array(1))[0]! % parShardCount

/** A fresh request_uri in a random shard. */
export const newRequestUri = (): { readonly requestUri: string; readonly shard: string } => {
  const shard = parShardName(randomParShardIndex())
  return { requestUri: `${PAR_REQUEST_URI_PREFIX}${shard}_${randomBase64url(32)}`, shard }
}

/** The shard a request_uri names, or null when it is not one this provider minted. */
export const parShardOf = (requestUri: string): string | null => {
  const match = requestUriPattern.exec(requestUri)
  if (match === null) return null
  const index = Number(match[1])
  return index < parShardCount ? parShardName(index) : null
}
