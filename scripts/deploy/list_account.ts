/** Reads what the account has, through wrangler's list commands (one each — queues page by page — plus one secret list per worker). */
import {
  isMissingWorker,
  parseBucketList,
  parseDatabaseList,
  parseNamespaceList,
  parseQueueList,
  parseSecretList,
  type ExistingResources
} from "./existing_resources.ts"
import { mustSucceed, type RunWrangler } from "./wrangler_runner.ts"

const listed = (wrangler: RunWrangler, args: ReadonlyArray<string>): string => mustSucceed(args, wrangler(args, { capture: true })).stdout

/** Most pages of `queues list` read (Cloudflare pages its queue list; 50 pages are thousands of queues). */
const MAX_QUEUE_PAGES = 50

/**
 * `wrangler queues list` answers one page (`--page N`): pages are read until
 * one adds no queue — an empty page, or the same page again.
 */
export const listQueues = (wrangler: RunWrangler): Map<string, string> => {
  const all = new Map<string, string>()
  for (let page = 1; page <= MAX_QUEUE_PAGES; page++) {
    const before = all.size
    for (const [name, id] of parseQueueList(listed(wrangler, ["queues", "list", "--page", String(page)]))) all.set(name, id)
    if (all.size === before) break
  }
  return all
}

/** The account's resources and the secrets of `workers` (deployed names; one that does not exist yet is left out). */
export const listAccount = (wrangler: RunWrangler, workers: ReadonlyArray<string>): ExistingResources => {
  const secrets = new Map<string, ReadonlySet<string>>()
  for (const worker of workers) {
    const args = ["secret", "list", "--name", worker, "--format", "json"]
    const result = wrangler(args, { capture: true })
    if (result.status === 0) secrets.set(worker, parseSecretList(result.stdout))
    else if (!isMissingWorker(result.stderr + result.stdout)) mustSucceed(args, result)
  }
  return {
    databases: parseDatabaseList(listed(wrangler, ["d1", "list", "--json"])),
    namespaces: parseNamespaceList(listed(wrangler, ["kv", "namespace", "list"])),
    buckets: parseBucketList(listed(wrangler, ["r2", "bucket", "list"])),
    queues: listQueues(wrangler),
    secrets
  }
}
