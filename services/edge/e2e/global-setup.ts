/**
 * End-to-end setup: a fresh local state folder, migrated and seeded from
 * fixtures.json, and one `wrangler dev` serving every service — the same
 * stack `npm start` runs — on a free 127.0.0.1 port.
 *
 * Beside it, the example resource server (examples/resource-server, issue 13 §1)
 * in `wrangler dev` processes of its own: `wrangler dev -c a -c b …` serves only
 * the first config's worker over HTTP, and the stack's first is the edge, so the
 * example runs first in its own process, on its own port, and reaches
 * authrim-tokens' TokensForResourceServers through the dev registry — a private
 * one (WRANGLER_REGISTRY_PATH under the state folder), so a concurrent run's
 * stack on this machine is never the one it binds to. Two instances: `notes`
 * for the audience Authrim's tokens carry (`<issuer>/userinfo`), `otherNotes`
 * for another API's audience (the wrong-audience case).
 */
import { mkdtempSync, rmSync } from "node:fs"
import os from "node:os"
import path from "node:path"
import type { TestProject } from "vitest/node"
import { freePort, migrate, readSeedFile, repoRoot, seed, startDev, withConsoleClient, workerConfigs } from "../../../scripts/local_stack.ts"
import { startUpstreamProvider, withUpstreamProviders } from "./upstream_provider.ts"
import { withBackchannelClient } from "./backchannel_rp.ts"
import { withFrontchannelClient } from "./frontchannel_rp.ts"
import { startClientKeysServer, withPrivateKeyJwtClient } from "./client_keys_server.ts"
import { STEP_UP_MAX_AGE_SECONDS } from "./step_up_window.ts"

declare module "vitest" {
  export interface ProvidedContext {
    issuer: string
    pkjwtPrivateJwk: Record<string, unknown>
    /** Where request_uri.e2e.test.ts PUTs request objects (client_keys_server.ts), registered for e2e-jar. */
    requestsBase: string
    /** The initial access token seeded from fixtures.json (dynamic_registration.e2e.test.ts). */
    initialAccessToken: string
    /** The example resource server (resource_server.e2e.test.ts), audience `<issuer>/userinfo`. */
    notesUrl: string
    /** The same example configured for another API's audience. */
    otherNotesUrl: string
  }
}

export default async function setup(project: TestProject) {
  const persistDir = mkdtempSync(path.join(os.tmpdir(), "authrim-e2e-"))
  migrate(persistDir)
  const port = await freePort()
  const issuer = `http://127.0.0.1:${port}`
  const upstream = await startUpstreamProvider(issuer)
  const backchannelPort = await freePort()
  const frontchannelPort = await freePort()
  const clientKeys = await startClientKeysServer()
  const fixtures = withUpstreamProviders(readSeedFile(path.join(import.meta.dirname, "fixtures.json")), upstream.issuer)
  const seeded = await seed(withConsoleClient(withPrivateKeyJwtClient(withFrontchannelClient(withBackchannelClient(fixtures, backchannelPort), frontchannelPort), clientKeys.jwksUri, clientKeys.requestsBase), issuer), persistDir)
  const registryPath = path.join(persistDir, "dev-registry")
  const server = await startDev({ configs: workerConfigs, persistDir, port, registryPath, vars: { ISSUER: issuer, DPOP_NONCE_REQUIRED_FOR: "e2e-dpop-nonce", STEP_UP_MAX_AGE_SECONDS: String(STEP_UP_MAX_AGE_SECONDS) } })
  const exampleConfig = path.join(repoRoot, "examples/resource-server/wrangler.jsonc")
  const startExample = async (name: string, audience: string) =>
    startDev({ configs: [exampleConfig], persistDir: path.join(persistDir, name), port: await freePort(), registryPath, vars: { ISSUER: issuer, AUDIENCE: audience } })
  const notes = await startExample("example-notes", `${issuer}/userinfo`)
  const otherNotes = await startExample("example-other-notes", "https://billing.example/api")
  project.provide("issuer", issuer)
  project.provide("initialAccessToken", seeded.initialAccessTokens?.[0]?.token ?? "")
  project.provide("upstreamIssuer", upstream.issuer)
  project.provide("backchannelPort", backchannelPort)
  project.provide("frontchannelPort", frontchannelPort)
  project.provide("pkjwtPrivateJwk", clientKeys.privateJwk as Record<string, unknown>)
  project.provide("requestsBase", clientKeys.requestsBase)
  project.provide("notesUrl", notes.url)
  project.provide("otherNotesUrl", otherNotes.url)
  return async () => {
    await otherNotes.stop()
    await notes.stop()
    await server.stop()
    await upstream.stop()
    await clientKeys.stop()
    rmSync(persistDir, { recursive: true, force: true })
  }
}
