/**
 * Every service binding the repository's committed wrangler configs declare
 * (Node side, read by the vitest configs): services/*, scripts/seed, bench
 * workers, examples/* — any `wrangler.jsonc` outside node_modules and dot
 * folders. The binding-surface tests (binding_surface.ts) get the list as the
 * JSON var `SERVICE_BINDINGS_IN_REPO`, so a binding added in any config is
 * checked against its callee's allow-list without anyone listing the config.
 */
import { readdirSync } from "node:fs"
import path from "node:path"
import { experimental_readRawConfig } from "wrangler"
import { repoRoot } from "./backends.ts"
import type { DeclaredServiceBinding } from "./binding_surface.ts"

const configFiles = (dir: string): Array<string> =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (entry.name.startsWith(".") || entry.name === "node_modules") return []
    const full = path.join(dir, entry.name)
    if (entry.isDirectory()) return configFiles(full)
    return entry.name === "wrangler.jsonc" ? [full] : []
  })

interface RawConfig {
  readonly name?: string
  readonly services?: ReadonlyArray<{ readonly binding: string; readonly service: string; readonly entrypoint?: string }>
}

/** The declared service bindings, sorted by config path then binding. */
export const serviceBindingsInRepo = (root: string = repoRoot): Array<DeclaredServiceBinding> =>
  configFiles(root).sort().flatMap((file) => {
    const config = experimental_readRawConfig({ config: file }).rawConfig as RawConfig
    return (config.services ?? []).map((s) => ({
      caller: config.name ?? "(unnamed)", config: path.relative(root, file), binding: s.binding, service: s.service, entrypoint: s.entrypoint ?? "default"
    }))
  })

/** The miniflare binding the surface tests read. */
export const serviceBindingsVar = (): { SERVICE_BINDINGS_IN_REPO: string } => ({ SERVICE_BINDINGS_IN_REPO: JSON.stringify(serviceBindingsInRepo()) })
