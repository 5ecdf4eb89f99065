/**
 * What already exists in the Cloudflare account, parsed from wrangler's list
 * commands. Wrangler 4 answers in three shapes: JSON (`d1 list --json`,
 * `kv namespace list`, `secret list --format json`), labelled values
 * (`r2 bucket list`: `name:` / `creation_date:` blocks) and a box table
 * (`queues list`). Each parser takes the command's whole stdout, banner included.
 */

/** The account's resources that setup matches by name. */
export interface ExistingResources {
  /** D1 database name → uuid. */
  readonly databases: ReadonlyMap<string, string>
  /** KV namespace title → id. */
  readonly namespaces: ReadonlyMap<string, string>
  readonly buckets: ReadonlySet<string>
  /** Queue name → id. */
  readonly queues: ReadonlyMap<string, string>
  /** Worker name → the names of its secrets (a worker that does not exist yet has none). */
  readonly secrets: ReadonlyMap<string, ReadonlySet<string>>
}

/** The JSON array in a command's stdout (wrangler may print a banner or warnings around it). */
const jsonArrayIn = (stdout: string, command: string): ReadonlyArray<Record<string, unknown>> => {
  const start = stdout.indexOf("[")
  const end = stdout.lastIndexOf("]")
  if (start === -1 || end < start) throw new Error(`${command}: no JSON array in its output`)
  const parsed: unknown = JSON.parse(stdout.slice(start, end + 1))
  if (!Array.isArray(parsed)) throw new Error(`${command}: output is not a JSON array`)
  return parsed as ReadonlyArray<Record<string, unknown>>
}

const text = (row: Record<string, unknown>, key: string, command: string): string => {
  const value = row[key]
  if (typeof value !== "string") throw new Error(`${command}: an entry has no string "${key}"`)
  return value
}

/** `wrangler d1 list --json`: `[{ uuid, name, created_at, version, num_tables, file_size }]`. */
export const parseDatabaseList = (stdout: string): Map<string, string> =>
  new Map(jsonArrayIn(stdout, "d1 list").map((row) => [text(row, "name", "d1 list"), text(row, "uuid", "d1 list")]))

/** `wrangler kv namespace list`: `[{ id, title, supports_url_encoding }]`. */
export const parseNamespaceList = (stdout: string): Map<string, string> =>
  new Map(jsonArrayIn(stdout, "kv namespace list").map((row) => [text(row, "title", "kv namespace list"), text(row, "id", "kv namespace list")]))

/** `wrangler r2 bucket list`: blocks of `name:  <bucket>` / `creation_date:  <iso>`. */
export const parseBucketList = (stdout: string): Set<string> =>
  new Set([...stdout.matchAll(/^\s*name:\s+(\S+)\s*$/gm)].map((m) => m[1] as string))

/** `wrangler queues list`: a box table with the columns id, name, created_on, modified_on, producers, consumers. */
export const parseQueueList = (stdout: string): Map<string, string> => {
  const rows = stdout
    .split("\n")
    .filter((line) => line.trimStart().startsWith("│"))
    .map((line) => line.split("│").slice(1, -1).map((cell) => cell.trim()))
  const header = rows[0]
  if (header === undefined) return new Map()
  const idColumn = header.indexOf("id")
  const nameColumn = header.indexOf("name")
  if (idColumn === -1 || nameColumn === -1) throw new Error("queues list: no id/name columns in its table")
  return new Map(rows.slice(1).map((cells) => [cells[nameColumn] ?? "", cells[idColumn] ?? ""]))
}

/** `wrangler secret list --name <worker> --format json`: `[{ name, type: "secret_text" }]`. */
export const parseSecretList = (stdout: string): Set<string> =>
  new Set(jsonArrayIn(stdout, "secret list").map((row) => text(row, "name", "secret list")))

/**
 * True when `secret list` failed only because the worker does not exist yet
 * (Cloudflare API error 10007): it then has no secrets, and `secret put`
 * creates it as a draft that the first deploy replaces.
 */
export const isMissingWorker = (stderr: string): boolean => /\[code: 10007\]|This Worker does not exist/i.test(stderr)
