/** Reads what the account has, through wrangler's list commands (one each, plus one secret list per worker). */
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
    queues: parseQueueList(listed(wrangler, ["queues", "list"])),
    secrets
  }
}
