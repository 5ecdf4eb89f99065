/**
 * `npm run deploy [-- --env production] [--dry-run] [--only <service>]`:
 * builds and cross-checks every worker offline, then (without `--dry-run`)
 * applies D1 migrations remotely, deploys keys, ratelimit, session, identity,
 * tokens, edge in that order, checks the issuer's discovery document and
 * its deep health (`/health?deep=1` with the HEALTH_TOKEN setup kept).
 */
import path from "node:path"
import { deployOptions } from "./deploy/cli_options.ts"
import { readCommittedWorkerConfigs } from "./deploy/committed_worker_configs.ts"
import { deployDirOf, placeholderDeployment, readDeploymentConfig } from "./deploy/deployment_config.ts"
import { runDeploy } from "./deploy/run_deploy.ts"
import { wranglerIn } from "./deploy/wrangler_runner.ts"

const repoRoot = path.resolve(import.meta.dirname, "..")

const usage = `npm run deploy -- [--env production] [--dry-run] [--only <service>[,<service>]]
Builds and cross-checks the six workers offline; without --dry-run then migrates D1, deploys
keys, ratelimit, session, identity, tokens, edge, checks the issuer's discovery document and
GET /health?deep=1 with HEALTH_TOKEN (from the environment, else deploy/<env>.health-token).`

try {
  if (process.argv.includes("--help")) {
    console.log(usage)
    process.exit(0)
  }
  const options = deployOptions(process.argv.slice(2))
  const deployDir = deployDirOf(repoRoot)
  const generated = readDeploymentConfig(deployDir, options.env)
  if (generated === undefined && !options.dryRun) throw new Error(`no deploy/${options.env}.generated.json: run npm run setup -- --env ${options.env} first`)
  const ok = await runDeploy({
    committed: readCommittedWorkerConfigs(repoRoot),
    // Before the first setup a dry-run still builds and checks, reporting every missing id and setting.
    deployment: generated ?? placeholderDeployment(options.env),
    only: options.only,
    dryRun: options.dryRun,
    deployDir,
    wrangler: wranglerIn(repoRoot),
    // HEALTH_TOKEN in the environment overrides the token setup kept in deploy/<env>.health-token.
    healthToken: process.env.HEALTH_TOKEN?.trim() || undefined,
    log: (line) => console.log(line)
  })
  process.exit(ok ? 0 : 1)
} catch (error) {
  console.error(error instanceof Error ? error.message : error)
  process.exit(1)
}
