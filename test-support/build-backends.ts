/** Vitest global setup: bundles every backend once per run into `.build/<service>/index.js`. */
import { execFileSync } from "node:child_process"
import path from "node:path"
import { backendServices, repoRoot } from "./backends.ts"

export default function buildBackends() {
  for (const service of backendServices) {
    execFileSync(
      path.join(repoRoot, "node_modules/.bin/wrangler"),
      ["deploy", "--dry-run", "--outdir", path.join(repoRoot, ".build", service), "-c", path.join(repoRoot, "services", service, "wrangler.jsonc")],
      { stdio: ["ignore", "ignore", "inherit"], env: { ...process.env, WRANGLER_SEND_METRICS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false" } }
    )
  }
}
