/**
 * `npm run setup`: list what the account has, plan, (confirm,) create what is
 * missing, list again and write the generated deployment config. Every
 * side effect goes through `wrangler`, so the whole run is testable offline.
 */
import { deploymentConfigPath, readDeploymentConfig, writeDeploymentConfig } from "./deployment_config.ts"
import { workerNameIn } from "./deployment_names.ts"
import { HEALTH_TOKEN, readHealthToken, writeHealthToken } from "./health_token_file.ts"
import { listAccount } from "./list_account.ts"
import { operatorAnswers, type Ask, type SettingFlags } from "./operator_answers.ts"
import { desiredResources } from "./resource_catalog.ts"
import { operatorSecretsFor } from "./production_settings.ts"
import { resolveDeployment } from "./resolve_deployment.ts"
import { describeCommand, planReset, planSetup } from "./setup_plan.ts"
import { mustSucceed, type RunWrangler } from "./wrangler_runner.ts"

/** Everything a setup run depends on. */
export interface SetupRun {
  readonly env: string
  /** Skip the "create these?" confirmation (not the `--reset` one). */
  readonly yes: boolean
  readonly reset: boolean
  readonly flags: SettingFlags
  /** The committed worker names (`authrim-edge`, …), in deploy order. */
  readonly committedWorkers: ReadonlyArray<string>
  readonly deployDir: string
  readonly wrangler: RunWrangler
  readonly ask: Ask
  readonly log: (line: string) => void
  /** A fresh random secret value (32 bytes, base64url). */
  readonly randomSecret: () => string
}

/** What a setup run did. */
export interface SetupOutcome {
  readonly created: ReadonlyArray<string>
  readonly existing: ReadonlyArray<string>
  readonly configFile: string
}

/** Runs setup; throws (nothing half-written to the generated config) when a command fails or the operator declines. */
export const runSetup = async (run: SetupRun): Promise<SetupOutcome> => {
  const { env, wrangler, log } = run
  const previous = readDeploymentConfig(run.deployDir, env)
  const settings = await operatorAnswers(run.flags, previous, run.ask)
  const workers = run.committedWorkers.map((w) => workerNameIn(env, w))
  const desired = desiredResources(env)
  let existing = listAccount(wrangler, workers)
  if (run.reset) {
    const deletions = planReset(env, run.committedWorkers, desired, existing)
    log(`--reset deletes ${deletions.length} things in ${env} (data in D1, KV, R2 and Durable Objects is lost):`)
    for (const command of deletions) log(`  ${describeCommand(command)}`)
    const typed = await run.ask(`Type the environment name (${env}) to delete it`)
    if (typed.trim() !== env) throw new Error(`--reset: "${typed.trim()}" is not ${env}; nothing was deleted`)
    for (const command of deletions) {
      mustSucceed(command.args, wrangler(command.args, { capture: true }))
      log(`deleted  ${describeCommand(command)}`)
    }
    existing = listAccount(wrangler, workers)
  }
  const plan = planSetup(env, desired, existing, operatorSecretsFor(settings))
  for (const line of plan.existing) log(`exists   ${line}`)
  for (const command of plan.commands) log(`create   ${describeCommand(command)}`)
  if (plan.commands.length > 0 && !run.yes) {
    const answer = await run.ask(`Run these ${plan.commands.length} commands in ${env}? [y/N]`, "n")
    if (!/^y(es)?$/i.test(answer.trim())) throw new Error("setup: declined; nothing was created")
  }
  for (const command of plan.commands) {
    const input =
      command.randomSecret !== undefined
        ? run.randomSecret()
        : command.operatorSecret !== undefined
          ? (process.env[command.operatorSecret.name] ?? (await run.ask(`Value of ${command.operatorSecret.name} for ${command.operatorSecret.worker} (or set it in the environment)`)))
          : undefined
    mustSucceed(command.args, wrangler(command.args, { capture: true, ...(input === undefined ? {} : { input }) }))
    log(`done     ${describeCommand(command)}`)
    if (command.randomSecret?.name === HEALTH_TOKEN && input !== undefined) log(`kept     ${HEALTH_TOKEN} for npm run deploy in ${writeHealthToken(run.deployDir, env, input)}`)
  }
  if (readHealthToken(run.deployDir, env) === undefined) {
    log(`note     no ${HEALTH_TOKEN} kept in deploy/: npm run deploy skips the deep health check unless HEALTH_TOKEN is in its environment`)
  }
  const after = plan.commands.length === 0 ? existing : listAccount(wrangler, workers)
  const configFile = writeDeploymentConfig(run.deployDir, resolveDeployment(env, desired, after, settings))
  log(`${plan.commands.length} created, ${plan.existing.length} already existed; ids and settings in ${configFile}`)
  return { created: plan.commands.map(describeCommand), existing: plan.existing, configFile: deploymentConfigPath(run.deployDir, env) }
}
