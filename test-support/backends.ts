/**
 * Test plumbing shared by the vitest projects (Node side, not worker code).
 * `runInDurableObject` reaches only the worker under test, so a project that
 * calls another service runs that service as an auxiliary worker: built once
 * per run by `wrangler deploy --dry-run --outdir` (see `build-backends.ts`)
 * and described to Miniflare from its own wrangler.jsonc.
 */
import path from "node:path"
import { unstable_getMiniflareWorkerOptions } from "wrangler"

export const repoRoot = path.resolve(import.meta.dirname, "..")

/**
 * Where this vitest run bundles the backends. One folder per run (the config
 * and global setup share the process, hence the environment variable), so two
 * runs at once never overwrite each other's bundles.
 */
export const buildDir = (process.env.AUTHRIM_BUILD_DIR ??= path.join(repoRoot, ".build", `run-${process.pid}`))

/** The backend services, by directory name. */
export const backendServices = ["keys", "session", "tokens", "ratelimit", "identity"] as const
export type BackendService = (typeof backendServices)[number]

/** Miniflare options for `service` as an auxiliary worker, bindings taken from its wrangler.jsonc. */
export const auxiliaryWorker = (service: BackendService) => {
  const { workerOptions } = unstable_getMiniflareWorkerOptions(path.join(repoRoot, "services", service, "wrangler.jsonc"))
  // Only bindings and compatibility: Miniflare 5 rejects wrangler's v4 source options (modulesRules, rootPath).
  const { compatibilityDate, compatibilityFlags, bindings, durableObjects, d1Databases, kvNamespaces, r2Buckets, queueProducers, queueConsumers, serviceBindings } = workerOptions
  const outDir = path.join(buildDir, service)
  return {
    name: `authrim-${service}`,
    compatibilityDate, compatibilityFlags, bindings, durableObjects, d1Databases, kvNamespaces, r2Buckets, queueProducers, queueConsumers, serviceBindings,
    modules: true,
    modulesRoot: outDir,
    scriptPath: path.join(outDir, "index.js")
  }
}

/** Absolute path of the D1 migrations folder (for `readD1Migrations`). */
export const migrationsDir = path.join(repoRoot, "migrations")
