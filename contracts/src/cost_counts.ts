/**
 * What the cost meter counts (issue 5), as it travels: the optional `meter`
 * of an RPC envelope (rpc.ts) and the edge's `x-authrim-cost` header. Only
 * the shape lives here. The meter itself — counting at the bindings, the
 * unit-of-work scope — is an opt-in layer, `packages/cost-meter`, which a
 * worker switches on with `COST_METER_HEADER=true` (benchmarks, local runs);
 * off, as in production, nothing counts and no envelope carries `meter`.
 */

/** Billable operations, by the units Cloudflare bills them in (DESIGN §6). Absent fields are zero. */
export interface CostCounts {
  /** Worker invocations billed as requests: one per edge HTTP request. */
  workerRequests?: number
  /** Service-binding RPC calls between our workers (not billed as requests; their CPU time is). */
  serviceCalls?: number
  /** Durable Object requests by class: every RPC method call on a stub is one. */
  doRequests?: Record<string, number>
  /** Rows read/written by SQLite storage inside Durable Objects (SQL API and KV API). */
  doRowsRead?: number
  doRowsWritten?: number
  /** `doRowsWritten` by Durable Object class: where the most expensive line of the bill comes from. */
  doRowsWrittenByClass?: Record<string, number>
  /** D1 statements executed, and the rows D1 reports read/written for them (`meta.rows_read/rows_written`). */
  d1Queries?: number
  d1RowsRead?: number
  d1RowsWritten?: number
  /** Workers KV operations: reads (get), writes (put), deletes, lists. */
  kvReads?: number
  kvWrites?: number
  kvDeletes?: number
  kvLists?: number
  /** Queue messages sent (each is a write; delivery adds a read and a delete). */
  queueMessages?: number
  /** R2 class A (put, list, multipart, copy) and class B (get, head) operations. */
  r2ClassA?: number
  r2ClassB?: number
}
