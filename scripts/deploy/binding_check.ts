/**
 * The offline binding cross-check of a deployment: every binding one worker
 * names must exist where it points (service + entrypoint, Durable Object class
 * exported by its script, a consumer for every produced queue, ids for D1 and
 * KV) and the production settings must be present. Each problem names the
 * worker and the binding, so a dry-run's exit tells what to fix.
 */
import type { WorkerConfig } from "./committed_worker_configs.ts"
import type { DeploymentConfig } from "./deployment_config.ts"
import { operatorSecretsFor, randomSecrets, requiredVars } from "./production_settings.ts"
import { workerNameIn } from "./deployment_names.ts"

/** A merged config with what its bundle exports. */
export interface BuiltWorker {
  /** The committed name (`authrim-edge`): settings are keyed by it. */
  readonly committedName: string
  readonly config: WorkerConfig
  readonly exports: ReadonlySet<string>
}

/** Every problem of a deployment of `workers`, empty when it may be deployed. */
export const bindingProblems = (workers: ReadonlyArray<BuiltWorker>, deployment: DeploymentConfig): ReadonlyArray<string> => {
  const problems: Array<string> = []
  const byName = new Map(workers.map((w) => [w.config.name, w]))
  const consumed = new Set(workers.flatMap((w) => (w.config.queues?.consumers ?? []).map((c) => c.queue)))
  const setupQueues = new Set(Object.values(deployment.queues).flatMap((q) => [q.name, q.deadLetterName]))
  const setupFile = `deploy/${deployment.env}.generated.json`
  for (const { config, exports, committedName } of workers) {
    const worker = config.name
    for (const s of config.services ?? []) {
      const target = byName.get(s.service)
      const entrypoint = s.entrypoint ?? "default"
      if (target === undefined) problems.push(`${worker}: service binding ${s.binding} → worker ${s.service}, which is not one of the deployed workers`)
      else if (!target.exports.has(entrypoint)) problems.push(`${worker}: service binding ${s.binding} → ${s.service} has no exported entrypoint ${entrypoint}`)
    }
    const ownedClasses = new Set(
      ((config.migrations ?? []) as ReadonlyArray<{ new_classes?: ReadonlyArray<string>; new_sqlite_classes?: ReadonlyArray<string> }>).flatMap((m) => [...(m.new_classes ?? []), ...(m.new_sqlite_classes ?? [])])
    )
    for (const d of config.durable_objects?.bindings ?? []) {
      const script = d.script_name ?? worker
      const target = byName.get(script)
      if (target === undefined) problems.push(`${worker}: Durable Object binding ${d.name} → script ${script}, which is not one of the deployed workers`)
      else if (!target.exports.has(d.class_name)) problems.push(`${worker}: Durable Object binding ${d.name} → class ${d.class_name}, which ${script} does not export`)
      if (d.script_name === undefined && !ownedClasses.has(d.class_name)) problems.push(`${worker}: Durable Object binding ${d.name} → class ${d.class_name} has no migration creating it`)
    }
    for (const p of config.queues?.producers ?? []) {
      if (!consumed.has(p.queue)) problems.push(`${worker}: queue producer ${p.binding} → queue ${p.queue}, which no deployed worker consumes`)
      if (!setupQueues.has(p.queue)) problems.push(`${worker}: queue producer ${p.binding} → queue ${p.queue}, which setup does not create (${setupFile})`)
    }
    for (const c of config.queues?.consumers ?? []) {
      if (c.dead_letter_queue === undefined) problems.push(`${worker}: queue consumer of ${c.queue} has no dead-letter queue`)
      else if (!setupQueues.has(c.dead_letter_queue)) problems.push(`${worker}: queue consumer of ${c.queue} → dead-letter queue ${c.dead_letter_queue}, which setup does not create`)
    }
    for (const d of config.d1_databases ?? []) {
      if (deployment.databases[d.binding] === undefined) problems.push(`${worker}: D1 binding ${d.binding} has no database id in ${setupFile} (run npm run setup)`)
    }
    for (const k of config.kv_namespaces ?? []) {
      if (deployment.namespaces[k.binding] === undefined) problems.push(`${worker}: KV binding ${k.binding} has no namespace id in ${setupFile} (run npm run setup)`)
    }
    for (const b of config.r2_buckets ?? []) {
      if (deployment.buckets[b.binding] === undefined) problems.push(`${worker}: R2 binding ${b.binding} has no bucket in ${setupFile} (run npm run setup)`)
    }
    for (const name of requiredVars[committedName] ?? []) {
      if ((config.vars?.[name] ?? "").trim() === "") problems.push(`${worker}: production setting ${name} is not set (run npm run setup)`)
    }
    if (config.vars?.AUTHRIM_ENV !== "production") problems.push(`${worker}: AUTHRIM_ENV is ${JSON.stringify(config.vars?.AUTHRIM_ENV)}, not production`)
    const secrets = [...randomSecrets, ...(deployment.settings === null ? [] : operatorSecretsFor(deployment.settings))]
    for (const secret of secrets.filter((s) => s.worker === committedName)) {
      if (!(deployment.secrets[workerNameIn(deployment.env, committedName)] ?? []).includes(secret.name)) {
        problems.push(`${worker}: production secret ${secret.name} was not put by setup (run npm run setup)`)
      }
    }
  }
  return problems
}
