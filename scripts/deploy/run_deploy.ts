/**
 * `npm run deploy`: check offline first (the dry-run's build and binding
 * cross-check), then apply D1 migrations remotely, register the admin console's
 * client `authrim-admin` for the issuer (console_client_registration.ts), deploy the workers in
 * dependency order, read the issuer's discovery document back and run the
 * edge's deep health check (health_check.ts) with the HEALTH_TOKEN setup kept.
 */
import type { CommittedWorkerConfig } from "./committed_worker_configs.ts"
import type { DeploymentConfig } from "./deployment_config.ts"
import { dryRun, dryRunTable, type DryRunReport } from "./dry_run.ts"
import { checkHealth, fetchHealth, type FetchHealth } from "./health_check.ts"
import { healthTokenPath, readHealthToken } from "./health_token_file.ts"
import { writeMergedWorkerConfig } from "./merge_worker_config.ts"
import { mustSucceed, type RunWrangler } from "./wrangler_runner.ts"
import { consoleClientCommands } from "./console_client_registration.ts"

/** Everything a deploy run depends on. */
export interface DeployRun {
  readonly committed: ReadonlyArray<CommittedWorkerConfig>
  readonly deployment: DeploymentConfig
  /** Services to deploy (default: all, in deploy order); the cross-check always covers every worker. */
  readonly only?: ReadonlyArray<string> | undefined
  readonly dryRun: boolean
  readonly deployDir: string
  readonly wrangler: RunWrangler
  readonly log: (line: string) => void
  readonly fetchJson?: (url: string) => Promise<unknown>
  /** Discovery reads before giving up (a fresh deploy takes seconds to propagate). */
  readonly discoveryAttempts?: number
  /** The deep health check's token; default: the one setup kept (deploy/<env>.health-token). */
  readonly healthToken?: string | undefined
  readonly fetchHealth?: FetchHealth
  /** Health check calls before giving up. */
  readonly healthAttempts?: number
}

/** Prints the dry-run report and answers whether it is clean. */
export const reportDryRun = (report: DryRunReport, log: (line: string) => void): boolean => {
  log(dryRunTable(report.rows))
  for (const warning of report.warnings) log(`warning: ${warning}`)
  for (const problem of report.problems) log(`error: ${problem}`)
  return report.problems.length === 0
}

/** Runs the deploy; answers false (after printing why) when a check fails. */
export const runDeploy = async (run: DeployRun): Promise<boolean> => {
  const { committed, deployment, wrangler, log } = run
  const report = dryRun({ committed, deployment, deployDir: run.deployDir, wrangler })
  if (!reportDryRun(report, log)) return false
  if (run.dryRun) return true
  const selected = committed.filter((c) => run.only === undefined || run.only.includes(c.service))
  const migrating = selected.find((c) => (c.config.d1_databases ?? []).some((d) => d.migrations_dir !== undefined))
  if (migrating !== undefined) {
    const binding = (migrating.config.d1_databases ?? []).find((d) => d.migrations_dir !== undefined)?.binding ?? "DB"
    const args = ["d1", "migrations", "apply", binding, "--remote", "-c", writeMergedWorkerConfig(migrating, deployment, run.deployDir)]
    log(`wrangler ${args.join(" ")}`)
    mustSucceed(args, wrangler(args))
    const withClients = committed.find((c) => (c.config.kv_namespaces ?? []).some((k) => k.binding === "CLIENTS"))
    if (deployment.settings !== null && withClients !== undefined) {
      const migratingConfig = writeMergedWorkerConfig(migrating, deployment, run.deployDir)
      const clientsConfig = withClients === migrating ? migratingConfig : writeMergedWorkerConfig(withClients, deployment, run.deployDir)
      for (const command of consoleClientCommands(deployment.settings.issuer, Date.now(), binding, migratingConfig, clientsConfig)) {
        log(`wrangler ${command.slice(0, 4).join(" ")} … (console client authrim-admin → ${deployment.settings.issuer}/admin/callback)`)
        mustSucceed(command, wrangler(command, { capture: true }))
      }
    }
  }
  for (const c of selected) {
    const args = ["deploy", "-c", writeMergedWorkerConfig(c, deployment, run.deployDir)]
    log(`wrangler ${args.join(" ")}`)
    mustSucceed(args, wrangler(args))
  }
  if (deployment.settings === null) return true
  const issuer = deployment.settings.issuer
  if (!(await checkDiscovery(issuer, run.fetchJson ?? fetchJson, log, run.discoveryAttempts))) return false
  const token = run.healthToken ?? readHealthToken(run.deployDir, deployment.env)
  if (token === undefined) {
    log(`warning: deep health check skipped: no ${healthTokenPath(run.deployDir, deployment.env)} (run npm run setup, or set HEALTH_TOKEN)`)
    return true
  }
  return checkHealth(issuer, token, run.fetchHealth ?? fetchHealth, log, run.healthAttempts)
}

const fetchJson = async (url: string): Promise<unknown> => {
  const response = await fetch(url, { headers: { accept: "application/json" } })
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`)
  return response.json()
}

/** The deployed issuer answers its own discovery document (OIDC Discovery §4.3: `issuer` identical); retried while a fresh deploy propagates. */
export const checkDiscovery = async (issuer: string, get: (url: string) => Promise<unknown>, log: (line: string) => void, attempts = 6): Promise<boolean> => {
  const url = `${issuer}/.well-known/openid-configuration`
  let last = ""
  for (let attempt = 1; attempt <= attempts; attempt++) {
    try {
      const document = (await get(url)) as { issuer?: unknown; jwks_uri?: unknown }
      if (document.issuer === issuer && typeof document.jwks_uri === "string") {
        log(`discovery ok: ${url}`)
        return true
      }
      last = `issuer ${JSON.stringify(document.issuer)} (expected ${issuer}), jwks_uri ${JSON.stringify(document.jwks_uri)}`
    } catch (error) {
      last = String(error)
    }
    if (attempt < attempts) await new Promise((resolve) => setTimeout(resolve, attempt * 2000))
  }
  log(`error: discovery check failed: ${url}: ${last}`)
  return false
}
