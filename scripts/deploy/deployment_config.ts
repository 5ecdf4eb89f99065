/**
 * The one generated, git-ignored deployment config of an environment
 * (`deploy/<env>.generated.json`): the resource ids setup found or created,
 * the operator's settings and the names of the secrets it put. `npm run deploy`
 * merges it with the committed wrangler.jsonc files; nobody edits ids by hand.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs"
import path from "node:path"
import type { OperatorSettings } from "./production_settings.ts"

/** The generated config (`version` changes only with an incompatible shape). */
export interface DeploymentConfig {
  readonly version: 1
  readonly env: string
  /** D1 binding → database name and uuid. */
  readonly databases: Readonly<Record<string, { readonly name: string; readonly id: string }>>
  /** KV binding → namespace title and id. */
  readonly namespaces: Readonly<Record<string, { readonly title: string; readonly id: string }>>
  /** R2 binding → bucket name. */
  readonly buckets: Readonly<Record<string, string>>
  /** Committed queue name → the environment's queue and its dead-letter queue. */
  readonly queues: Readonly<Record<string, { readonly name: string; readonly deadLetterName: string }>>
  /** The operator's answers; null only in the placeholder a dry-run uses before the first setup. */
  readonly settings: OperatorSettings | null
  /** Deployed worker name → names of the secrets it has (values live only on Cloudflare). */
  readonly secrets: Readonly<Record<string, ReadonlyArray<string>>>
}

/** Where deployments keep generated files: `deploy/` at the repository root (git-ignored). */
export const deployDirOf = (repoRoot: string): string => path.join(repoRoot, "deploy")

/** The generated config file of `env`. */
export const deploymentConfigPath = (deployDir: string, env: string): string => path.join(deployDir, `${env}.generated.json`)

/** The generated config of `env`, or undefined before its first setup. */
export const readDeploymentConfig = (deployDir: string, env: string): DeploymentConfig | undefined => {
  const file = deploymentConfigPath(deployDir, env)
  if (!existsSync(file)) return undefined
  const config = JSON.parse(readFileSync(file, "utf8")) as DeploymentConfig
  if (config.version !== 1 || config.env !== env) throw new Error(`${file}: not a version-1 deployment config of ${env}; run npm run setup -- --env ${env}`)
  return config
}

/** Writes the generated config (stable key order, so an unchanged setup rewrites identical bytes). */
export const writeDeploymentConfig = (deployDir: string, config: DeploymentConfig): string => {
  mkdirSync(deployDir, { recursive: true })
  const file = deploymentConfigPath(deployDir, config.env)
  writeFileSync(file, JSON.stringify(config, null, 2) + "\n")
  return file
}

/** What a dry-run checks against before the first setup: no ids, no settings, no secrets (each is then reported missing). */
export const placeholderDeployment = (env: string): DeploymentConfig => ({ version: 1, env, databases: {}, namespaces: {}, buckets: {}, queues: {}, settings: null, secrets: {} })
