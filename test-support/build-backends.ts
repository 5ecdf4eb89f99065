/**
 * Vitest global setup: bundles every backend once per run into `buildDir`.
 * A backend that fails to bundle is reported and skipped, so the projects
 * that do not need it still run; those that do fail loudly on their own.
 */
import { execFileSync } from "node:child_process"
import { rmSync } from "node:fs"
import path from "node:path"
import { backendServices, buildDir, repoRoot } from "./backends.ts"

export default function buildBackends() {
  for (const service of backendServices) {
    try {
      execFileSync(
        path.join(repoRoot, "node_modules/.bin/wrangler"),
        ["deploy", "--dry-run", "--outdir", path.join(buildDir, service), "-c", path.join(repoRoot, "services", service, "wrangler.jsonc")],
        { stdio: ["ignore", "ignore", "pipe"], env: { ...process.env, WRANGLER_SEND_METRICS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false" } }
      )
    } catch (error) {
      const stderr = (error as { stderr?: Buffer }).stderr?.toString() ?? String(error)
      console.error(`[build-backends] ${service} did not bundle:\n${stderr}`)
    }
  }
  return () => rmSync(buildDir, { recursive: true, force: true })
}
