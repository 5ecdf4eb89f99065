/**
 * Test plumbing shared by the vitest projects (Node side, not worker code).
 * `runInDurableObject` reaches only the worker under test, so a project that
 * calls another service runs that service as an auxiliary worker: built once
 * per run by `wrangler deploy --dry-run --outdir .build/<service>` (see
 * `build-backends.ts`) and described to Miniflare from its own wrangler.jsonc.
 */
import path from "node:path"
import { unstable_getMiniflareWorkerOptions } from "wrangler"

export const repoRoot = path.resolve(import.meta.dirname, "..")

/** The backend services, by directory name. */
export const backendServices = ["keys", "session", "tokens", "ratelimit", "identity"] as const
export type BackendService = (typeof backendServices)[number]

/** Miniflare options for `service` as an auxiliary worker, bindings taken from its wrangler.jsonc. */
export const auxiliaryWorker = (service: BackendService) => {
  const { workerOptions } = unstable_getMiniflareWorkerOptions(path.join(repoRoot, "services", service, "wrangler.jsonc"))
  const outDir = path.join(repoRoot, ".build", service)
  // Only bindings and compatibility: Miniflare 5 rejects wrangler's v4 source options (modulesRules, rootPath).
  const { compatibilityDate, compatibilityFlags, bindings, durableObjects, d1Databases, kvNamespaces, r2Buckets, queueProducers, queueConsumers, serviceBindings } = workerOptions
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
