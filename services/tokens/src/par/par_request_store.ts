/**
 * PARRequestStore Durable Object (one of 32 shards, named inside the
 * request_uri). Holds pushed authorization requests (RFC 9126) keyed by
 * SHA-256(request_uri). `consume` is one synchronous SQL method, so under the
 * object's input gate no two uses interleave: exactly one wins. A consumed
 * row is deleted at once — nothing about a used request needs remembering,
 * since a replay is refused the same way as an unknown URI.
 */
import { armExpiryAlarm, rearmExpiryAlarm } from "@authrim/platform"
import type { ServiceEnv } from "../env.ts"
import { MeteredDurableObject, meteredEnv } from "@authrim/cost-meter"
import { tokensBindingMeters } from "../env.ts"

/** A request to store. */
export interface PushedRequestRecord {
  readonly requestUriHash: string
  readonly clientId: string
  /** JSON of the pushed parameters. */
  readonly parametersJson: string
  readonly now: number
  readonly expiresAt: number
}

/** Outcome of `consume`. */
export type ConsumeOutcome =
  | { readonly _tag: "consumed"; readonly parametersJson: string }
  | { readonly _tag: "rejected"; readonly reason: string }

type PushedRow = { client_id: string; parameters_json: string; expires_at: number }

export class PARRequestStore extends MeteredDurableObject<ServiceEnv> {
  private readonly sql: SqlStorage

  constructor(ctx: DurableObjectState, env: ServiceEnv) {
    // Rebinding the parameter: with the cost meter on, the rest of the constructor must see the metered bindings too.
    env = meteredEnv(env, tokensBindingMeters)
    super(ctx, env)
    this.sql = ctx.storage.sql
    this.sql.exec(`CREATE TABLE IF NOT EXISTS pushed_requests (
      request_uri_hash TEXT PRIMARY KEY,
      client_id TEXT NOT NULL,
      parameters_json TEXT NOT NULL,
      created_at INTEGER NOT NULL,
      expires_at INTEGER NOT NULL
    ) WITHOUT ROWID`)
    this.sql.exec("CREATE INDEX IF NOT EXISTS pushed_requests_expires_at ON pushed_requests (expires_at)")
  }

  /** Stores a pushed request until `expiresAt`. */
  async push(record: PushedRequestRecord): Promise<void> {
    this.sql.exec(
      "INSERT INTO pushed_requests (request_uri_hash, client_id, parameters_json, created_at, expires_at) VALUES (?, ?, ?, ?, ?)",
      record.requestUriHash, record.clientId, record.parametersJson, record.now, record.expiresAt
    )
    await armExpiryAlarm(this.ctx.storage, record.expiresAt)
  }

  /**
   * Checks and consumes in one synchronous step. Another client's attempt
   * changes nothing (RFC 9126 §4: the request_uri is bound to its client);
   * an expired row is dropped and refused.
   */
  consume(input: { readonly requestUriHash: string; readonly clientId: string; readonly now: number }): ConsumeOutcome {
    const row = this.sql.exec<PushedRow>(
      "SELECT client_id, parameters_json, expires_at FROM pushed_requests WHERE request_uri_hash = ?", input.requestUriHash
    ).toArray()[0]
    if (row === undefined) return { _tag: "rejected", reason: "unknown, expired or already used request_uri" }
    if (row.client_id !== input.clientId) return { _tag: "rejected", reason: "request_uri was pushed by another client" }
    this.sql.exec("DELETE FROM pushed_requests WHERE request_uri_hash = ?", input.requestUriHash)
    if (row.expires_at <= input.now) return { _tag: "rejected", reason: "request_uri expired" }
    return { _tag: "consumed", parametersJson: row.parameters_json }
  }

  /** Purges expired requests and re-arms for the next expiry. */
  override async alarm(): Promise<void> {
    const now = Date.now()
    this.sql.exec("DELETE FROM pushed_requests WHERE expires_at <= ?", now)
    const next = this.sql.exec<{ next: number | null }>("SELECT MIN(expires_at) AS next FROM pushed_requests").one().next
    await rearmExpiryAlarm(this.ctx.storage, next, now)
  }
}
