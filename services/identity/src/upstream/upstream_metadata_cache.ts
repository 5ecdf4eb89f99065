/**
 * Isolate memory for upstream metadata: discovery documents (5 min) and one
 * jose remote JWK set per `jwks_uri` (keys kept 5 min, refetched at most every
 * 30 s when an unknown `kid` shows up — that is how a key rotation upstream is
 * picked up). A sign-in then costs the upstream no metadata round trip.
 */
import { createRemoteJWKSet } from "jose"

/** How long a discovery document is trusted. */
export const DISCOVERY_TTL_MS = 5 * 60_000
/** How long fetched upstream keys are kept (jose `cacheMaxAge`). */
export const JWKS_TTL_MS = 5 * 60_000

/** The parts of an OpenID Provider Metadata document Authrim uses (OIDC Discovery 1.0 §3). */
export interface UpstreamMetadata {
  readonly issuer: string
  readonly authorization_endpoint: string
  readonly token_endpoint: string
  readonly userinfo_endpoint?: string
  readonly jwks_uri: string
  readonly id_token_signing_alg_values_supported?: ReadonlyArray<string>
}

/** A remote key set as jose builds it. */
export type RemoteKeySet = ReturnType<typeof createRemoteJWKSet>

export class UpstreamMetadataCache {
  private readonly documents = new Map<string, { value: UpstreamMetadata; expiresAt: number }>()
  private readonly keySets = new Map<string, RemoteKeySet>()

  constructor(private readonly now: () => number = Date.now) {}

  getDocument(issuer: string): UpstreamMetadata | undefined {
    const entry = this.documents.get(issuer)
    return entry !== undefined && entry.expiresAt > this.now() ? entry.value : undefined
  }

  setDocument(issuer: string, value: UpstreamMetadata): void {
    this.documents.set(issuer, { value, expiresAt: this.now() + DISCOVERY_TTL_MS })
  }

  /** The key set of `jwksUri` (created once per isolate; jose caches the keys inside). */
  keySet(jwksUri: string): RemoteKeySet {
    let set = this.keySets.get(jwksUri)
    if (set === undefined) {
      set = createRemoteJWKSet(new URL(jwksUri), { cacheMaxAge: JWKS_TTL_MS, cooldownDuration: 30_000, timeoutDuration: 5_000 })
      this.keySets.set(jwksUri, set)
    }
    return set
  }
}
