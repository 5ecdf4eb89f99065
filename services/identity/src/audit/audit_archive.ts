/**
 * The daily audit archive (cron 02:00 UTC, issue 11 §2): rows older than 90
 * days (by their ULID's time) leave D1 for R2 `AUDIT_ARCHIVE` as gzip NDJSON objects
 * `audit/YYYY/MM/DD/<first-id>-<last-id>.ndjson.gz` — one UTC day per object,
 * at most 10,000 rows each, oldest first.
 *
 * Loss-free by order: an object is written and confirmed (R2 `put` answered)
 * before any of its rows is deleted, and rows are deleted by id, exactly those
 * in the object. A crash between put and delete leaves the rows in D1; the next
 * run selects the same rows, names the object the same (first and last id) and
 * overwrites it — no loss, and not even a duplicate.
 */
import { tryD1, Unavailable } from "@authrim/contracts"
import { ulidTime } from "@authrim/platform"
import { Effect } from "effect"

export const AUDIT_RETENTION_MS = 90 * 24 * 60 * 60 * 1000
export const ARCHIVE_ROWS_PER_OBJECT = 10_000
/** Objects per cron run (a Worker invocation's time is bounded); the rest waits for the next day's run. */
export const ARCHIVE_OBJECTS_PER_RUN = 50

/** One `audit_log` row as stored (and as one NDJSON line of an archive object). */
export interface AuditRow {
  readonly id: string
  readonly created_at: number
  readonly action: string
  readonly user_id: string | null
  readonly client_id: string | null
  readonly actor_type: string
  readonly actor_id: string | null
  readonly resource_type: string | null
  readonly resource_id: string | null
  readonly outcome: string
  readonly ip: string | null
  readonly user_agent: string | null
  readonly request_id: string | null
  readonly metadata: string | null
}

const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10)

/** The smallest ULID of millisecond `ms`: every id minted at or after `ms` sorts at or after it. */
export const idFloor = (ms: number): string => ulidTime(Math.max(0, ms)) + "0".repeat(16)

/** The R2 key of an object holding `rows` (all of one UTC day, sorted by id). */
export const archiveKey = (rows: ReadonlyArray<AuditRow>): string =>
  `audit/${dayOf(rows[0]!.created_at).replaceAll("-", "/")}/${rows[0]!.id}-${rows[rows.length - 1]!.id}.ndjson.gz`

const gzip = (text: string): Promise<ArrayBuffer> =>
  new Response(new Blob([text]).stream().pipeThrough(new CompressionStream("gzip"))).arrayBuffer()

const r2 = <A>(operation: string, run: () => Promise<A>) =>
  Effect.tryPromise({ try: run, catch: (cause) => new Unavailable({ service: "identity", reason: `R2 ${operation}: ${String(cause)}` }) })

/**
 * The next object's rows: the oldest archivable rows, cut at the first day change. Ids are ULIDs (time
 * first), so "older than the cutoff" is an id range on the primary key, and id order is time order.
 */
const nextObjectRows = Effect.fnUntraced(function*(db: D1Database, cutoff: number) {
  const { results } = yield* tryD1("identity", "audit_log archive select", () =>
    db.prepare("SELECT * FROM audit_log WHERE id < ? ORDER BY id LIMIT ?").bind(idFloor(cutoff), ARCHIVE_ROWS_PER_OBJECT).all<AuditRow>())
  if (results.length === 0) return results
  const day = dayOf(results[0]!.created_at)
  return results.filter((row) => dayOf(row.created_at) === day)
})

/** Deletes exactly `rows` (by id, 100 ids per statement, one D1 batch). */
export const deleteArchivedRows = (db: D1Database, rows: ReadonlyArray<AuditRow>) => {
  const statements: Array<D1PreparedStatement> = []
  for (let i = 0; i < rows.length; i += 100) {
    const ids = rows.slice(i, i + 100).map((row) => row.id)
    statements.push(db.prepare(`DELETE FROM audit_log WHERE id IN (${ids.map(() => "?").join(", ")})`).bind(...ids))
  }
  return tryD1("identity", "audit_log archive delete", () => db.batch(statements))
}

export interface ArchiveOptions {
  readonly now: number
  /** Seam for tests: how rows are deleted after their object is stored. */
  readonly deleteRows?: (db: D1Database, rows: ReadonlyArray<AuditRow>) => Effect.Effect<unknown, Unavailable>
}

/** Moves every row older than the retention (up to `ARCHIVE_OBJECTS_PER_RUN` objects) to R2; answers the object keys written. */
export const archiveAuditLog = Effect.fnUntraced(function*(db: D1Database, bucket: R2Bucket, options: ArchiveOptions) {
  const cutoff = options.now - AUDIT_RETENTION_MS
  const deleteRows = options.deleteRows ?? deleteArchivedRows
  const written: Array<{ readonly key: string; readonly rows: number }> = []
  while (written.length < ARCHIVE_OBJECTS_PER_RUN) {
    const rows = yield* nextObjectRows(db, cutoff)
    if (rows.length === 0) break
    const key = archiveKey(rows)
    const body = yield* r2("gzip", () => gzip(rows.map((row) => JSON.stringify(row)).join("\n") + "\n"))
    const stored = yield* r2("put", () => bucket.put(key, body, {
      httpMetadata: { contentType: "application/x-ndjson", contentEncoding: "gzip" },
      customMetadata: { rows: String(rows.length), first: rows[0]!.id, last: rows[rows.length - 1]!.id }
    }))
    if (stored === null) return yield* new Unavailable({ service: "identity", reason: `R2 put of ${key} was not stored` })
    yield* deleteRows(db, rows)
    written.push({ key, rows: rows.length })
  }
  return written
})

const gunzipLines = async (object: R2ObjectBody): Promise<Array<string>> => {
  const text = await new Response(object.body.pipeThrough(new DecompressionStream("gzip"))).text()
  return text.split("\n").filter((line) => line.length > 0)
}

/** Every archived row of UTC day `day` (YYYY-MM-DD), in id order — the restore path. */
export const readArchivedDay = Effect.fnUntraced(function*(bucket: R2Bucket, day: string) {
  const prefix = `audit/${day.replaceAll("-", "/")}/`
  const rows: Array<AuditRow> = []
  let cursor: string | undefined
  do {
    const listed: R2Objects = yield* r2("list", () => bucket.list({ prefix, ...(cursor === undefined ? {} : { cursor }) }))
    for (const entry of listed.objects) {
      const object = yield* r2("get", () => bucket.get(entry.key))
      if (object === null) continue
      const lines = yield* r2("read", () => gunzipLines(object))
      rows.push(...lines.map((line) => JSON.parse(line) as AuditRow))
    }
    cursor = listed.truncated ? listed.cursor : undefined
  } while (cursor !== undefined)
  return rows.sort((a, b) => a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
})
