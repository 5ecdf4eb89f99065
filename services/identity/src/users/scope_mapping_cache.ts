/**
 * Isolate-memory copy of `scope_mappings`. The table is a dozen rows that
 * change only by migration or admin action, and claims are read on every
 * token and userinfo request, so it is read from D1 at most once a minute.
 */
export interface ScopeMapping {
  readonly scope: string
  readonly claim_name: string
  readonly source_table: string
  readonly source_column: string
}

/** How long the copy is trusted. */
export const SCOPE_MAPPING_TTL_MS = 60_000

export class ScopeMappingCache {
  private cached: { rows: ReadonlyArray<ScopeMapping>; expiresAt: number } | null = null

  constructor(private readonly now: () => number = Date.now) {}

  get(): ReadonlyArray<ScopeMapping> | null {
    return this.cached !== null && this.cached.expiresAt > this.now() ? this.cached.rows : null
  }

  set(rows: ReadonlyArray<ScopeMapping>): void {
    this.cached = { rows, expiresAt: this.now() + SCOPE_MAPPING_TTL_MS }
  }
}
