/**
 * The deep health check's bearer token (`HEALTH_TOKEN` of the edge,
 * services/edge/src/routes/health_endpoint.ts) as setup generated it, kept
 * beside the generated deployment config in the git-ignored `deploy/` folder
 * (`deploy/<env>.health-token`, mode 0600) so `npm run deploy` can call
 * `/health?deep=1` after deploying. Every other secret value lives only on
 * Cloudflare; this one only lets its holder read the services' health.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs"
import path from "node:path"

/** The secret's name (one of production_settings.ts `randomSecrets`). */
export const HEALTH_TOKEN = "HEALTH_TOKEN"

/** Where setup keeps `env`'s health token. */
export const healthTokenPath = (deployDir: string, env: string): string => path.join(deployDir, `${env}.health-token`)

/** Keeps the token setup just put (overwrites: the file follows the secret). */
export const writeHealthToken = (deployDir: string, env: string, token: string): string => {
  mkdirSync(deployDir, { recursive: true })
  const file = healthTokenPath(deployDir, env)
  writeFileSync(file, `${token}\n`, { mode: 0o600 })
  return file
}

/** The token setup kept for `env`, or undefined (setup predates it, or the file was removed). */
export const readHealthToken = (deployDir: string, env: string): string | undefined => {
  const file = healthTokenPath(deployDir, env)
  if (!existsSync(file)) return undefined
  const token = readFileSync(file, "utf8").trim()
  return token === "" ? undefined : token
}
