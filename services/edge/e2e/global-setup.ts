/**
 * End-to-end setup: a fresh local state folder, migrated and seeded from
 * fixtures.json, and one `wrangler dev` serving every service — the same
 * stack `npm start` runs — on a free 127.0.0.1 port.
 */
import { mkdtempSync, rmSync } from "node:fs"
import os from "node:os"
import path from "node:path"
import type { TestProject } from "vitest/node"
import { freePort, migrate, readSeedFile, seed, startDev, workerConfigs } from "../../../scripts/local_stack.ts"

declare module "vitest" {
  export interface ProvidedContext {
    issuer: string
  }
}

export default async function setup(project: TestProject) {
  const persistDir = mkdtempSync(path.join(os.tmpdir(), "authrim-e2e-"))
  migrate(persistDir)
  await seed(readSeedFile(path.join(import.meta.dirname, "fixtures.json")), persistDir)
  const port = await freePort()
  const issuer = `http://127.0.0.1:${port}`
  const server = await startDev({ configs: workerConfigs, persistDir, port, vars: { ISSUER: issuer } })
  project.provide("issuer", issuer)
  return async () => {
    await server.stop()
    rmSync(persistDir, { recursive: true, force: true })
  }
}
