/**
 * Isolate memory in front of `identity_providers`: the login page lists the
 * enabled providers on every render, and the table changes rarely. 30 s bounds
 * how long another isolate shows a stale list after an upsert.
 */
import type { UpstreamProviderSummary } from "@authrim/contracts"
import type { IdentityProviderRecord } from "./identity_provider_record.ts"

/** Lifetime of the cached list and of each cached provider. */
export const PROVIDER_MEMORY_TTL_MS = 30_000

export class ProviderListCache {
  private list: { value: ReadonlyArray<UpstreamProviderSummary>; expiresAt: number } | undefined
  private readonly byId = new Map<string, { value: IdentityProviderRecord; expiresAt: number }>()

  constructor(private readonly now: () => number = Date.now) {}

  getList(): ReadonlyArray<UpstreamProviderSummary> | undefined {
    return this.list !== undefined && this.list.expiresAt > this.now() ? this.list.value : undefined
  }

  setList(value: ReadonlyArray<UpstreamProviderSummary>): void {
    this.list = { value, expiresAt: this.now() + PROVIDER_MEMORY_TTL_MS }
  }

  get(id: string): IdentityProviderRecord | undefined {
    const entry = this.byId.get(id)
    return entry !== undefined && entry.expiresAt > this.now() ? entry.value : undefined
  }

  set(record: IdentityProviderRecord): void {
    // Providers are few (an operator configures them); the map stays small without eviction.
    this.byId.set(record.id, { value: record, expiresAt: this.now() + PROVIDER_MEMORY_TTL_MS })
  }

  /** Drops everything this isolate knows (after an upsert here). */
  invalidate(): void {
    this.list = undefined
    this.byId.clear()
  }
}
