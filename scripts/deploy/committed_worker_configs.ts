/** The committed `services/<service>/wrangler.jsonc` files, read as wrangler reads them (JSONC). */
import path from "node:path"
import { experimental_readRawConfig } from "wrangler"
import { deployOrder, type ServiceName } from "./deployment_names.ts"

/** The subset of a wrangler config that deployment reads or rewrites; other keys pass through untouched. */
export interface WorkerConfig {
  readonly name: string
  readonly main?: string
  readonly vars?: Readonly<Record<string, string>>
  readonly services?: ReadonlyArray<{ readonly binding: string; readonly service: string; readonly entrypoint?: string }>
  readonly durable_objects?: { readonly bindings?: ReadonlyArray<{ readonly name: string; readonly class_name: string; readonly script_name?: string }> }
  readonly d1_databases?: ReadonlyArray<{ readonly binding: string; readonly database_name?: string; readonly database_id?: string; readonly migrations_dir?: string }>
  readonly kv_namespaces?: ReadonlyArray<{ readonly binding: string; readonly id?: string }>
  readonly r2_buckets?: ReadonlyArray<{ readonly binding: string; readonly bucket_name?: string }>
  readonly queues?: {
    readonly producers?: ReadonlyArray<{ readonly binding: string; readonly queue: string }>
    readonly consumers?: ReadonlyArray<{ readonly queue: string; readonly dead_letter_queue?: string; readonly max_retries?: number }>
  }
  readonly send_email?: ReadonlyArray<{ readonly name: string }>
  readonly analytics_engine_datasets?: ReadonlyArray<{ readonly binding: string; readonly dataset?: string }>
  readonly triggers?: { readonly crons?: ReadonlyArray<string> }
  readonly [key: string]: unknown
}

/** A committed config with where it lives (relative paths in it are relative to `dir`). */
export interface CommittedWorkerConfig {
  readonly service: ServiceName
  readonly dir: string
  readonly config: WorkerConfig
}

/** The committed configs of `services` under `repoRoot` (a temporary copy in tests), in deploy order. */
export const readCommittedWorkerConfigs = (repoRoot: string, services: ReadonlyArray<ServiceName> = deployOrder): ReadonlyArray<CommittedWorkerConfig> =>
  services.map((service) => {
    const dir = path.join(repoRoot, "services", service)
    const config = experimental_readRawConfig({ config: path.join(dir, "wrangler.jsonc") }).rawConfig as WorkerConfig
    return { service, dir, config }
  })
