/**
 * Isolate-memory copy of `scope_mappings`. The table is a dozen rows that
 * change only by migration or admin action, and claims are read on every
 * token and userinfo request, so it is read from D1 at most once a minute.
 * An admin write here (scope mapping put/delete, custom field deletion) drops
 * it, so this isolate releases the change on its very next claims read.
 */
export interface ScopeMapping {
  readonly scope: string
  readonly claim_name: string
  readonly source_table: string
  readonly source_column: string
  /** The custom field's type when `source_table` is `user_custom_fields` and the field is defined (migration 0017), else null. */
  readonly field_type?: string | null
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

  /** Drops the copy (after an admin write in this isolate). */
  forget(): void {
    this.cached = null
  }
}
