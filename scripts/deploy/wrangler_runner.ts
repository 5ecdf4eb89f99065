/**
 * Runs wrangler from this repository's node_modules (never a global one),
 * with telemetry off. `capture` keeps stdout for parsing (list commands);
 * otherwise wrangler talks to the operator directly.
 */
import { spawnSync } from "node:child_process"
import path from "node:path"

/** What a finished wrangler run answered. */
export interface WranglerResult {
  readonly status: number
  readonly stdout: string
  readonly stderr: string
}

/** How setup and deploy call wrangler; tests give a recording fake. */
export type RunWrangler = (args: ReadonlyArray<string>, options?: { readonly input?: string; readonly capture?: boolean }) => WranglerResult

/** The real wrangler of `repoRoot`, run in `repoRoot` (which has no wrangler config of its own). */
export const wranglerIn =
  (repoRoot: string): RunWrangler =>
  (args, options = {}) => {
    const capture = options.capture === true || options.input !== undefined
    const result = spawnSync(path.join(repoRoot, "node_modules/.bin/wrangler"), [...args], {
      cwd: repoRoot,
      encoding: "utf8",
      input: options.input,
      // A captured run never prompts (no terminal on stdin: wrangler takes its non-interactive answers);
      // an uncaptured one (deploy, migrations) talks to the operator.
      stdio: [options.input !== undefined ? "pipe" : capture ? "ignore" : "inherit", capture ? "pipe" : "inherit", capture ? "pipe" : "inherit"],
      env: { ...process.env, WRANGLER_SEND_METRICS: "false" },
      maxBuffer: 64 * 1024 * 1024
    })
    return { status: result.status ?? 1, stdout: result.stdout ?? "", stderr: result.stderr ?? "" }
  }

/** Throws with wrangler's own words when a run failed. */
export const mustSucceed = (args: ReadonlyArray<string>, result: WranglerResult): WranglerResult => {
  if (result.status !== 0) throw new Error(`wrangler ${args.join(" ")} failed (${result.status}):\n${result.stderr || result.stdout}`)
  return result
}
