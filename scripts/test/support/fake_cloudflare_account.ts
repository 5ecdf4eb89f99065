/**
 * A Cloudflare account as wrangler shows it, for setup tests: list commands
 * answer in wrangler 4's recorded output shapes (see fixtures/wrangler), and
 * create/put/delete commands change the account. Every call is recorded.
 */
import { readFileSync } from "node:fs"
import path from "node:path"
import type { RunWrangler, WranglerResult } from "../../deploy/wrangler_runner.ts"

const fixtures = path.join(import.meta.dirname, "..", "fixtures", "wrangler")

/** A recorded wrangler output. */
export const fixture = (name: string): string => readFileSync(path.join(fixtures, name), "utf8")

/** One wrangler call the fake answered. */
export interface RecordedCall {
  readonly args: ReadonlyArray<string>
  readonly input?: string | undefined
}

const ok = (stdout = ""): WranglerResult => ({ status: 0, stdout, stderr: "" })

/** The fake account; `wrangler` is what setup is given. */
export class FakeCloudflareAccount {
  readonly databases = new Map<string, string>()
  readonly namespaces = new Map<string, string>()
  readonly buckets = new Set<string>()
  readonly queues = new Map<string, string>()
  /** Queues per page of `queues list --page N` (Cloudflare pages the list). */
  queuePageSize = 100
  /** Worker → secret name → value. */
  readonly workers = new Map<string, Map<string, string>>()
  readonly calls: Array<RecordedCall> = []
  #next = 1

  #id(): string {
    return (this.#next++).toString(16).padStart(32, "0")
  }

  /** Commands other than list commands, in order. */
  get changes(): ReadonlyArray<RecordedCall> {
    return this.calls.filter((c) => !(c.args.includes("list")))
  }

  readonly wrangler: RunWrangler = (args, options = {}) => {
    this.calls.push({ args, input: options.input })
    const [a, b, c] = args
    const key = [a, b, c].filter((x) => x !== undefined && !x.startsWith("-")).join(" ")
    if (key.startsWith("d1 list")) {
      return ok(JSON.stringify([...this.databases].map(([name, uuid]) => ({ uuid, name, created_at: "2026-12-03T13:00:00.000Z", version: "production", num_tables: 0, file_size: 12288 })), null, 2))
    }
    if (key.startsWith("kv namespace list")) return ok(JSON.stringify([...this.namespaces].map(([title, id]) => ({ id, title, supports_url_encoding: true })), null, 2))
    if (key.startsWith("r2 bucket list")) return ok(`Listing buckets...\n${[...this.buckets].map((name) => `name:           ${name}\ncreation_date:  2026-12-03T13:00:00.000Z`).join("\n\n")}\n`)
    if (key.startsWith("queues list")) {
      const pageAt = args.indexOf("--page")
      const page = pageAt >= 0 ? Number(args[pageAt + 1]) : 1
      const rows = [...this.queues].slice((page - 1) * this.queuePageSize, page * this.queuePageSize).map(([name, id]) => `│ ${id} │ ${name} │ 2026-12-03T13:00:00Z │ 2026-12-03T13:00:00Z │ 0 │ 0 │`)
      return ok(`┌─┐\n│ id │ name │ created_on │ modified_on │ producers │ consumers │\n├─┤\n${rows.join("\n")}\n└─┘\n`)
    }
    if (key === "secret list") {
      const secrets = this.workers.get(args[args.indexOf("--name") + 1] as string)
      if (secrets === undefined) return { status: 1, stdout: "", stderr: fixture("secret-list.missing-worker.stderr.txt") }
      return ok(JSON.stringify([...secrets.keys()].map((name) => ({ name, type: "secret_text" })), null, 2))
    }
    if (key.startsWith("d1 create")) return this.#add(this.databases, c as string)
    if (key.startsWith("kv namespace create")) return this.#add(this.namespaces, args[3] as string)
    if (key.startsWith("r2 bucket create")) {
      this.buckets.add(args[3] as string)
      return ok()
    }
    if (key.startsWith("queues create")) return this.#add(this.queues, c as string)
    if (key.startsWith("secret put")) {
      const worker = args[args.indexOf("--name") + 1] as string
      const secrets = this.workers.get(worker) ?? new Map<string, string>()
      secrets.set(c as string, options.input ?? "")
      this.workers.set(worker, secrets)
      return ok()
    }
    if (a === "delete") return this.workers.delete(b as string) ? ok() : { status: 1, stdout: "", stderr: "no such worker" }
    if (key.startsWith("queues delete")) return this.queues.delete(c as string) ? ok() : { status: 1, stdout: "", stderr: "no such queue" }
    if (key.startsWith("r2 bucket delete")) return this.buckets.delete(args[3] as string) ? ok() : { status: 1, stdout: "", stderr: "no such bucket" }
    if (key.startsWith("kv namespace delete")) {
      const id = args[args.indexOf("--namespace-id") + 1]
      const title = [...this.namespaces].find(([, v]) => v === id)?.[0]
      return title !== undefined && this.namespaces.delete(title) ? ok() : { status: 1, stdout: "", stderr: "no such namespace" }
    }
    if (key.startsWith("d1 delete")) return this.databases.delete(c as string) ? ok() : { status: 1, stdout: "", stderr: "no such database" }
    throw new Error(`fake account: unexpected wrangler ${args.join(" ")}`)
  }

  #add(map: Map<string, string>, name: string): WranglerResult {
    if (map.has(name)) return { status: 1, stdout: "", stderr: `${name} already exists` }
    map.set(name, this.#id())
    return ok()
  }
}
