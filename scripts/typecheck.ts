/** `npm run typecheck`: type-checks contracts, scripts (with the bench), the bench's peer workers and every service with its own tsconfig. */
import { spawnSync } from "node:child_process"
import { existsSync } from "node:fs"
import path from "node:path"

const root = path.resolve(import.meta.dirname, "..")
const projects = ["tsconfig.json", "scripts/tsconfig.json", "bench/peers/tsconfig.json",
  // The branded-login browser test imports the edge's page renderer (workers types) and runs in Node with Chromium (dom, node).
  "services/edge/e2e/tsconfig.branded_login.json",
  // The consumer package and the example resource server that uses it (issue 13 §1).
  "packages/client/tsconfig.json", "examples/resource-server/tsconfig.json", ...["edge", "session", "tokens", "keys", "ratelimit", "identity"].map((s) => `services/${s}/tsconfig.json`)]
let failed = false
for (const project of projects.filter((p) => existsSync(path.join(root, p)))) {
  const result = spawnSync(path.join(root, "node_modules/.bin/tsc"), ["-p", project, "--noEmit"], { cwd: root, stdio: "inherit" })
  if (result.status !== 0) failed = true
}
process.exit(failed ? 1 : 0)
