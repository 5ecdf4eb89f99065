/**
 * End-to-end setup: a fresh local state folder, migrated and seeded from
 * fixtures.json, and one `wrangler dev` serving every service — the same
 * stack `npm start` runs — on a free 127.0.0.1 port.
 */
import { mkdtempSync, rmSync } from "node:fs"
import os from "node:os"
import path from "node:path"
import type { TestProject } from "vitest/node"
import { freePort, migrate, readSeedFile, seed, startDev, withConsoleClient, workerConfigs } from "../../../scripts/local_stack.ts"
import { startUpstreamProvider, withUpstreamProviders } from "./upstream_provider.ts"
import { withBackchannelClient } from "./backchannel_rp.ts"
import { startClientKeysServer, withPrivateKeyJwtClient } from "./client_keys_server.ts"
import { STEP_UP_MAX_AGE_SECONDS } from "./step_up_window.ts"

declare module "vitest" {
  export interface ProvidedContext {
    issuer: string
    pkjwtPrivateJwk: Record<string, unknown>
    /** The initial access token seeded from fixtures.json (dynamic_registration.e2e.test.ts). */
    initialAccessToken: string
  }
}

export default async function setup(project: TestProject) {
  const persistDir = mkdtempSync(path.join(os.tmpdir(), "authrim-e2e-"))
  migrate(persistDir)
  const port = await freePort()
  const issuer = `http://127.0.0.1:${port}`
  const upstream = await startUpstreamProvider(issuer)
  const backchannelPort = await freePort()
  const clientKeys = await startClientKeysServer()
  const fixtures = withUpstreamProviders(readSeedFile(path.join(import.meta.dirname, "fixtures.json")), upstream.issuer)
  const seeded = await seed(withConsoleClient(withPrivateKeyJwtClient(withBackchannelClient(fixtures, backchannelPort), clientKeys.jwksUri), issuer), persistDir)
  const server = await startDev({ configs: workerConfigs, persistDir, port, vars: { ISSUER: issuer, DPOP_NONCE_REQUIRED_FOR: "e2e-dpop-nonce", STEP_UP_MAX_AGE_SECONDS: String(STEP_UP_MAX_AGE_SECONDS) } })
  project.provide("issuer", issuer)
  project.provide("initialAccessToken", seeded.initialAccessTokens?.[0]?.token ?? "")
  project.provide("upstreamIssuer", upstream.issuer)
  project.provide("backchannelPort", backchannelPort)
  project.provide("pkjwtPrivateJwk", clientKeys.privateJwk as Record<string, unknown>)
  return async () => {
    await server.stop()
    await upstream.stop()
    await clientKeys.stop()
    rmSync(persistDir, { recursive: true, force: true })
  }
}
