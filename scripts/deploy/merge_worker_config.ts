/**
 * A deployable wrangler config: the committed wrangler.jsonc of a service
 * with the environment's generated values merged in. Only ids, names and the
 * operator's vars come from the generated config; every binding, class and
 * migration stays as committed. Written under `deploy/<env>/<service>/`
 * (git-ignored), so its relative paths are rewritten from there.
 */
import { mkdirSync, writeFileSync } from "node:fs"
import path from "node:path"
import type { CommittedWorkerConfig, WorkerConfig } from "./committed_worker_configs.ts"
import type { DeploymentConfig } from "./deployment_config.ts"
import { datasetNameIn, workerNameIn } from "./deployment_names.ts"
import { operatorVars } from "./production_settings.ts"

/** A path of the committed config, seen from the generated config's folder. */
const rebased = (from: string, to: string, relative: string): string => path.relative(to, path.resolve(from, relative))

/** The merged config of one service for `deployment`, to be written into `outDir`. */
export const mergeWorkerConfig = (committed: CommittedWorkerConfig, deployment: DeploymentConfig, outDir: string): WorkerConfig => {
  const { config, dir } = committed
  const env = deployment.env
  const vars = { ...config.vars, ...(deployment.settings === null ? {} : operatorVars(deployment.settings)[config.name]) }
  const sendsEmail = config.name === "authrim-identity" && deployment.settings?.emailTransport === "send_email"
  return {
    ...config,
    name: workerNameIn(env, config.name),
    ...(config.main === undefined ? {} : { main: rebased(dir, outDir, config.main) }),
    vars,
    ...(config.services === undefined ? {} : { services: config.services.map((s) => ({ ...s, service: workerNameIn(env, s.service) })) }),
    // Metrics of a staging deploy must not mix into production's datasets (docs/operations.md).
    ...(config.analytics_engine_datasets === undefined
      ? {}
      : { analytics_engine_datasets: config.analytics_engine_datasets.map((d) => d.dataset === undefined ? d : { ...d, dataset: datasetNameIn(env, d.dataset) }) }),
    ...(config.durable_objects?.bindings === undefined
      ? {}
      : { durable_objects: { ...config.durable_objects, bindings: config.durable_objects.bindings.map((b) => (b.script_name === undefined ? b : { ...b, script_name: workerNameIn(env, b.script_name) })) } }),
    ...(config.d1_databases === undefined
      ? {}
      : {
          d1_databases: config.d1_databases.map((d) => {
            const found = deployment.databases[d.binding]
            return {
              ...d,
              ...(found === undefined ? {} : { database_name: found.name, database_id: found.id }),
              ...(d.migrations_dir === undefined ? {} : { migrations_dir: rebased(dir, outDir, d.migrations_dir) })
            }
          })
        }),
    ...(config.kv_namespaces === undefined ? {} : { kv_namespaces: config.kv_namespaces.map((k) => ({ ...k, ...(deployment.namespaces[k.binding] === undefined ? {} : { id: deployment.namespaces[k.binding]?.id }) })) }),
    ...(config.r2_buckets === undefined ? {} : { r2_buckets: config.r2_buckets.map((b) => ({ ...b, ...(deployment.buckets[b.binding] === undefined ? {} : { bucket_name: deployment.buckets[b.binding] }) })) }),
    ...(config.queues === undefined
      ? {}
      : {
          queues: {
            ...config.queues,
            ...(config.queues.producers === undefined ? {} : { producers: config.queues.producers.map((p) => ({ ...p, queue: deployment.queues[p.queue]?.name ?? p.queue })) }),
            ...(config.queues.consumers === undefined
              ? {}
              : {
                  consumers: config.queues.consumers.map((c) => {
                    const queue = deployment.queues[c.queue]
                    // Each queue of the catalog has its dead-letter queue: a poison message lands there after max_retries.
                    return queue === undefined ? c : { ...c, queue: queue.name, dead_letter_queue: queue.deadLetterName }
                  })
                })
          }
        }),
    ...(sendsEmail && config.send_email === undefined ? { send_email: [{ name: "SEND_EMAIL" }] } : {})
  }
}

/** The folder of the generated config of `service` in `env`. */
export const generatedWorkerDir = (deployDir: string, env: string, service: string): string => path.join(deployDir, env, service)

/** Writes the merged config of `committed` and answers its path. */
export const writeMergedWorkerConfig = (committed: CommittedWorkerConfig, deployment: DeploymentConfig, deployDir: string): string => {
  const outDir = generatedWorkerDir(deployDir, deployment.env, committed.service)
  mkdirSync(outDir, { recursive: true })
  const file = path.join(outDir, "wrangler.json")
  writeFileSync(file, JSON.stringify(mergeWorkerConfig(committed, deployment, outDir), null, 2) + "\n")
  return file
}
