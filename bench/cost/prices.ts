/**
 * Cloudflare list prices the cost model uses (DESIGN §6, Workers Paid), per
 * unit billed. Lines DESIGN §6 does not list are marked with their source.
 * Included monthly allowances of the $5 Workers Paid plan are NOT subtracted:
 * at 10 M MAU they are a rounding error, and a gross figure is easier to check.
 */
export const prices = {
  /** Workers: per request (edge HTTP requests; service-binding calls are not billed as requests). */
  workerRequest: 0.30 / 1e6,
  /** Workers Standard CPU time, per CPU-millisecond (Cloudflare Workers pricing; not in DESIGN §6). */
  workerCpuMs: 0.02 / 1e6,
  /** Durable Objects: per request (each RPC call on a stub is one). */
  doRequest: 0.15 / 1e6,
  /** Durable Objects: per GB-second of duration (128 MB per object while active). */
  doGbSecond: 12.50 / 1e6,
  /** SQLite storage inside Durable Objects, rows read / written (billed since January 2026 at D1's row prices; not in DESIGN §6). */
  doRowRead: 0.001 / 1e6,
  doRowWritten: 1.00 / 1e6,
  /** D1 rows read / written. */
  d1RowRead: 0.001 / 1e6,
  d1RowWritten: 1.00 / 1e6,
  /** D1 storage per GB-month beyond the included 5 GB (Cloudflare D1 pricing; not in DESIGN §6). */
  d1GbMonth: 0.75,
  /** Durable Object SQLite storage per GB-month (Cloudflare DO pricing; not in DESIGN §6). */
  doGbMonth: 0.20,
  /** Workers KV: reads; writes, deletes and lists (each priced as a write). */
  kvRead: 0.50 / 1e6,
  kvWrite: 5.00 / 1e6,
  /** Queues: per operation; a delivered message is a write, a read and a delete. */
  queueOperation: 0.40 / 1e6,
  queueOperationsPerMessage: 3,
  /** R2 class A / class B operations. */
  r2ClassA: 4.50 / 1e6,
  r2ClassB: 0.36 / 1e6
} as const

/**
 * The analysis this design comes from estimated $12,600/month ($0.0013/user)
 * at 10 M MAU, pricing Durable Object requests at $12.50 per million — the
 * duration rate (per million GB-s) — instead of $0.15 per million requests.
 */
export const analysisEstimate = { monthlyUsd: 12_600, perUserUsd: 0.0013, doRequestPrice: 12.50 / 1e6 } as const
