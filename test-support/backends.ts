/**
 * Test plumbing shared by the vitest projects (Node side, not worker code).
 * `runInDurableObject` reaches only the worker under test, so a project that
 * calls another service runs that service as an auxiliary worker: built once
 * per run by `wrangler deploy --dry-run --outdir` (see `build-backends.ts`)
 * and described to Miniflare from its own wrangler.jsonc.
 */
import path from "node:path"
import { unstable_getMiniflareWorkerOptions } from "wrangler"
import { testDevelopmentVars } from "../scripts/development_settings.ts"

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

/** How a test stack differs from the default one (every worker in development, as the tests run). */
export interface AuxiliaryWorkerOptions {
  /**
   * Appended to the worker's name and to the names of the services it binds
   * to, so a second stack built from the same bundles (e.g. `-production`)
   * talks only to itself. Durable Objects are per worker name, so its objects
   * are its own; D1, KV and queues are keyed by id and shared with the
   * default stack. Such a copy consumes no queue (one consumer per queue).
   */
  readonly suffix?: string
  /** Replaces the development vars: these vars on top of the committed wrangler.jsonc (value undefined = removed). */
  readonly vars?: Readonly<Record<string, string | undefined>>
}

const withoutUnset = (vars: Readonly<Record<string, unknown>>): Record<string, unknown> =>
  Object.fromEntries(Object.entries(vars).filter(([, v]) => v !== undefined))

/**
 * Miniflare options for `service` as an auxiliary worker, bindings taken from
 * its wrangler.jsonc (which says production) plus, unless `options.vars` says
 * otherwise, the development vars of scripts/development_settings.ts.
 */
export const auxiliaryWorker = (service: BackendService, options: AuxiliaryWorkerOptions = {}) => {
  const { workerOptions } = unstable_getMiniflareWorkerOptions(path.join(repoRoot, "services", service, "wrangler.jsonc"))
  // Only bindings and compatibility: Miniflare 5 rejects wrangler's v4 source options (modulesRules, rootPath).
  const { compatibilityDate, compatibilityFlags, bindings, durableObjects, d1Databases, kvNamespaces, r2Buckets, queueProducers, queueConsumers, serviceBindings } = workerOptions
  const outDir = path.join(buildDir, service)
  const name = `authrim-${service}`
  const suffix = options.suffix ?? ""
  const suffixed = Object.fromEntries(Object.entries(serviceBindings ?? {}).map(([binding, target]) =>
    [binding, typeof target === "object" && target !== null && "name" in target ? { ...target, name: `${String(target.name)}${suffix}` } : target]))
  return {
    name: `${name}${suffix}`,
    compatibilityDate, compatibilityFlags, durableObjects, d1Databases, kvNamespaces, r2Buckets, queueProducers,
    bindings: withoutUnset({ ...(bindings as Record<string, unknown> | undefined), ...(options.vars ?? testDevelopmentVars(name)) }),
    queueConsumers: suffix === "" ? queueConsumers : undefined,
    serviceBindings: suffixed,
    modules: true,
    modulesRoot: outDir,
    scriptPath: path.join(outDir, "index.js")
  }
}

/** Absolute path of the D1 migrations folder (for `readD1Migrations`). */
export const migrationsDir = path.join(repoRoot, "migrations")
