/** The generated deployment config of an environment, from the account as it is once setup has created everything. */
import type { DeploymentConfig } from "./deployment_config.ts"
import type { ExistingResources } from "./existing_resources.ts"
import type { OperatorSettings } from "./production_settings.ts"
import type { DesiredResources } from "./resource_catalog.ts"

/** Resolves every desired resource to its id; throws naming the first one the account still lacks. */
export const resolveDeployment = (env: string, desired: DesiredResources, existing: ExistingResources, settings: OperatorSettings): DeploymentConfig => {
  const missing = (what: string): never => {
    throw new Error(`${what} is still missing after setup ran; run npm run setup -- --env ${env} again`)
  }
  const dbId = existing.databases.get(desired.database.name) ?? missing(`D1 database ${desired.database.name}`)
  for (const bucket of desired.buckets) if (!existing.buckets.has(bucket.name)) missing(`R2 bucket ${bucket.name}`)
  for (const queue of desired.queues) for (const name of [queue.name, queue.deadLetterName]) if (!existing.queues.has(name)) missing(`queue ${name}`)
  return {
    version: 1,
    env,
    databases: { [desired.database.binding]: { name: desired.database.name, id: dbId } },
    namespaces: Object.fromEntries(desired.namespaces.map((ns) => [ns.binding, { title: ns.title, id: existing.namespaces.get(ns.title) ?? missing(`KV namespace ${ns.title}`) }])),
    buckets: Object.fromEntries(desired.buckets.map((b) => [b.binding, b.name])),
    queues: Object.fromEntries(desired.queues.map((q) => [q.committedName, { name: q.name, deadLetterName: q.deadLetterName }])),
    settings,
    secrets: Object.fromEntries([...existing.secrets].map(([worker, names]) => [worker, [...names].sort()]).sort(([a], [b]) => (a as string).localeCompare(b as string)))
  }
}
