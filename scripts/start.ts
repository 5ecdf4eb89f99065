/**
 * `npm start`: migrate the local D1, seed the demo client and user, print
 * them, and serve every service in one `wrangler dev` on http://127.0.0.1:8787.
 */
import path from "node:path"
import { migrate, readSeedFile, repoRoot, seed, startDev, withConsoleClient, workerConfigs } from "./local_stack.ts"

const persistDir = path.join(repoRoot, ".wrangler/state")
const port = Number(process.env.PORT ?? 8787)
const issuer = `http://127.0.0.1:${port}`
const demoFile = path.join(repoRoot, "scripts/seed/demo.json")

console.log("• applying D1 migrations (local)…")
migrate(persistDir)
console.log("• seeding scripts/seed/demo.json…")
// The console's redirect URI for the issuer actually served (PORT may differ from the file's 8787).
await seed(withConsoleClient(readSeedFile(demoFile), issuer), persistDir)
const demo = readSeedFile(demoFile)
const client = demo.clients?.[0]
const user = demo.users?.[0]
console.log("• starting every service in one wrangler dev…")
const server = await startDev({ configs: workerConfigs, persistDir, port, vars: { ISSUER: issuer }, inherit: true })
console.log(`
Authrim is running at ${issuer}
  discovery      ${issuer}/.well-known/openid-configuration
  demo client    client_id=${client?.client_id}  client_secret=${client?.client_secret}
                 redirect_uri=${client?.redirect_uris[0]}
  demo user      ${user?.email} / ${user?.password}
  admin console  ${issuer}/admin  (sign in as the demo user: it holds the seeded "admin" role)
  try it         ${issuer}/authorize?response_type=code&client_id=${client?.client_id}&redirect_uri=${encodeURIComponent(client?.redirect_uris[0] ?? "")}&scope=openid%20profile%20email%20offline_access&state=demo&nonce=demo
Ctrl-C stops it.`)
const shutdown = () => void server.stop().then(() => process.exit(0))
process.on("SIGINT", shutdown)
process.on("SIGTERM", shutdown)
