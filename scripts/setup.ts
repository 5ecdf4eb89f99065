/**
 * `npm run setup [-- --env production] [--yes] [--reset]`: creates or finds, by
 * name, every Cloudflare resource of an environment and its random secrets,
 * and writes `deploy/<env>.generated.json` (see README "Deploy to Cloudflare").
 */
import { randomBytes } from "node:crypto"
import path from "node:path"
import { createInterface } from "node:readline/promises"
import { setupOptions } from "./deploy/cli_options.ts"
import { readCommittedWorkerConfigs } from "./deploy/committed_worker_configs.ts"
import { deployDirOf } from "./deploy/deployment_config.ts"
import type { Ask } from "./deploy/operator_answers.ts"
import { runSetup } from "./deploy/run_setup.ts"
import { wranglerIn } from "./deploy/wrangler_runner.ts"

const repoRoot = path.resolve(import.meta.dirname, "..")

const ask: Ask = async (question, suggestion) => {
  if (!process.stdin.isTTY) throw new Error(`${question}: no terminal to ask on; pass it as a flag (npm run setup -- --help)`)
  const readline = createInterface({ input: process.stdin, output: process.stdout })
  try {
    const answer = (await readline.question(`${question}${suggestion === undefined ? "" : ` [${suggestion}]`}: `)).trim()
    return answer === "" ? (suggestion ?? "") : answer
  } finally {
    readline.close()
  }
}

const usage = `npm run setup -- [--env production] [--yes] [--reset]
  [--issuer https://id.example.com] [--email-from "Name <no-reply@example.com>"] [--webauthn-rp-id example.com]
  [--webauthn-rp-name Authrim] [--email-transport send_email|http] [--email-http-url https://…]
Creates or finds the Cloudflare resources and secrets of an environment; writes deploy/<env>.generated.json.`

try {
  if (process.argv.includes("--help")) {
    console.log(usage)
    process.exit(0)
  }
  const options = setupOptions(process.argv.slice(2))
  await runSetup({
    ...options,
    committedWorkers: readCommittedWorkerConfigs(repoRoot).map((c) => c.config.name),
    deployDir: deployDirOf(repoRoot),
    wrangler: wranglerIn(repoRoot),
    ask,
    log: (line) => console.log(line),
    randomSecret: () => randomBytes(32).toString("base64url")
  })
} catch (error) {
  console.error(error instanceof Error ? error.message : error)
  process.exit(1)
}
