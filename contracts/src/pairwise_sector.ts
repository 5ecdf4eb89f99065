/**
 * The sector of a pairwise client (OIDC Core §8.1): the host of its
 * `sector_identifier_uri` when it has one, else the host of its redirect_uris,
 * which must then all share one host. Shared by identity (which refuses a
 * pairwise client without a sector when it is written) and the edge (which
 * sends the sector to the tokens service at every issuance).
 */

/** The client fields the sector is read from. */
export interface SectorFields {
  readonly clientId: string
  readonly subjectType?: "public" | "pairwise" | undefined
  readonly sectorIdentifierUri?: string | null | undefined
  readonly redirectUris: ReadonlyArray<string>
}

const hostOf = (uri: string): string | null => {
  try {
    const host = new URL(uri).host
    return host === "" ? null : host
  } catch {
    return null
  }
}

/** The sector of `client` (whatever its subject type), or null when it has none (no sector URI, redirect hosts not one). */
export const sectorOf = (client: SectorFields): string | null => {
  if (client.sectorIdentifierUri != null) return hostOf(client.sectorIdentifierUri)
  const hosts = new Set(client.redirectUris.map(hostOf))
  if (hosts.size !== 1) return null
  return [...hosts][0] ?? null
}

/**
 * The `pairwiseSector` to hand the tokens service: the sector of a pairwise client, else undefined (public `sub`).
 * Identity never stores a pairwise client without a sector; should one appear anyway, its own id is its sector,
 * so it still never sees the public `sub`.
 */
export const pairwiseSectorOf = (client: SectorFields): string | undefined =>
  client.subjectType === "pairwise" ? sectorOf(client) ?? `client:${client.clientId}` : undefined
