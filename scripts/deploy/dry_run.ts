/**
 * `npm run deploy -- --dry-run`: fully offline. Builds every worker from its
 * merged config with `wrangler deploy --dry-run --outdir`, measures each
 * bundle against Workers' size limits, runs the binding cross-check and
 * answers a table (worker, compressed size, bindings, crons) with the problems.
 */
import { existsSync, readFileSync } from "node:fs"
import path from "node:path"
import { bindingProblems, type BuiltWorker } from "./binding_check.ts"
import { bundleLimits, compressedBundleBytes, exportedNames, mainModuleOf } from "./bundle_inspection.ts"
import type { CommittedWorkerConfig, WorkerConfig } from "./committed_worker_configs.ts"
import type { DeploymentConfig } from "./deployment_config.ts"
import { generatedWorkerDir, mergeWorkerConfig, writeMergedWorkerConfig } from "./merge_worker_config.ts"
import { mustSucceed, type RunWrangler } from "./wrangler_runner.ts"

/** One line of the dry-run table. */
export interface DryRunRow {
  readonly worker: string
  readonly compressedBytes: number
  /** Resource and service bindings (Durable Objects, D1, KV, R2, queues, services, email). */
  readonly bindings: number
  readonly vars: number
  readonly crons: ReadonlyArray<string>
}

/** What a dry-run found: a row per worker, blocking problems and warnings. */
export interface DryRunReport {
  readonly rows: ReadonlyArray<DryRunRow>
  readonly problems: ReadonlyArray<string>
  readonly warnings: ReadonlyArray<string>
}

/** The number of bindings of a config other than vars. */
const bindingCount = (c: WorkerConfig): number =>
  (c.services?.length ?? 0) +
  (c.durable_objects?.bindings?.length ?? 0) +
  (c.d1_databases?.length ?? 0) +
  (c.kv_namespaces?.length ?? 0) +
  (c.r2_buckets?.length ?? 0) +
  (c.queues?.producers?.length ?? 0) +
  (c.send_email?.length ?? 0)

/** The bundle folder of a service's dry-run. */
export const bundleDirOf = (deployDir: string, env: string, service: string): string => path.join(generatedWorkerDir(deployDir, env, service), "bundle")

/**
 * Builds (unless `build` is false: bundles already in place are reused, as a
 * binding name does not change the code) and checks every worker.
 */
export const dryRun = (options: {
  readonly committed: ReadonlyArray<CommittedWorkerConfig>
  readonly deployment: DeploymentConfig
  readonly deployDir: string
  readonly wrangler: RunWrangler
  /** Where a service's bundle is (default: beside its merged config). */
  readonly bundleDir?: (service: string) => string
  readonly build?: boolean
}): DryRunReport => {
  const { committed, deployment, deployDir, wrangler } = options
  const built: Array<BuiltWorker> = []
  const rows: Array<DryRunRow> = []
  const problems: Array<string> = []
  const warnings: Array<string> = []
  for (const c of committed) {
    const configFile = writeMergedWorkerConfig(c, deployment, deployDir)
    const config = mergeWorkerConfig(c, deployment, path.dirname(configFile))
    const outdir = options.bundleDir?.(c.service) ?? bundleDirOf(deployDir, deployment.env, c.service)
    if (options.build !== false) {
      const args = ["deploy", "--dry-run", "--outdir", outdir, "-c", configFile]
      mustSucceed(args, wrangler(args, { capture: true }))
    }
    const mainModule = mainModuleOf(outdir, config.main ?? "index.js")
    if (!existsSync(mainModule)) {
      problems.push(`${config.name}: no bundle at ${mainModule}`)
      continue
    }
    const compressedBytes = compressedBundleBytes(outdir)
    if (compressedBytes > bundleLimits.paidBytes) problems.push(`${config.name}: bundle is ${formatBytes(compressedBytes)} compressed, above the 10 MB limit of paid plans`)
    else if (compressedBytes > bundleLimits.freeBytes) warnings.push(`${config.name}: bundle is ${formatBytes(compressedBytes)} compressed, above the 3 MB limit of the free plan`)
    built.push({ committedName: c.config.name, config, exports: exportedNames(readFileSync(mainModule, "utf8")) })
    rows.push({ worker: config.name, compressedBytes, bindings: bindingCount(config), vars: Object.keys(config.vars ?? {}).length, crons: config.triggers?.crons ?? [] })
  }
  return { rows, problems: [...problems, ...bindingProblems(built, deployment)], warnings }
}

/** Bytes as KiB/MiB with one decimal. */
export const formatBytes = (bytes: number): string => (bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MiB` : `${(bytes / 1024).toFixed(1)} KiB`)

/** The dry-run table as the operator reads it. */
export const dryRunTable = (rows: ReadonlyArray<DryRunRow>): string => {
  const header = ["worker", "compressed", "bindings", "vars", "crons"]
  const lines = rows.map((r) => [r.worker, formatBytes(r.compressedBytes), String(r.bindings), String(r.vars), r.crons.join(", ") || "—"])
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => (l[i] as string).length)))
  const format = (cells: ReadonlyArray<string>) => cells.map((cell, i) => cell.padEnd(widths[i] as number)).join("  ").trimEnd()
  return [format(header), format(widths.map((w) => "-".repeat(w))), ...lines.map(format)].join("\n")
}
