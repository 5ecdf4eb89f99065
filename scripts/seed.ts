/**
 * `npm run seed -- FILE.json [--persist-to DIR]`: creates or updates the
 * clients and users of FILE in the local provider (format: README "Seed file").
 */
import path from "node:path"
import { migrate, readSeedFile, repoRoot, seed } from "./local_stack.ts"

const args = process.argv.slice(2)
const persistIndex = args.indexOf("--persist-to")
const persistDir = persistIndex >= 0 ? path.resolve(args[persistIndex + 1] ?? "") : path.join(repoRoot, ".wrangler/state")
const file = args.find((a, i) => !a.startsWith("--") && args[i - 1] !== "--persist-to")
if (file === undefined) {
  console.error("usage: npm run seed -- FILE.json [--persist-to DIR]")
  process.exit(2)
}
migrate(persistDir)
const result = await seed(readSeedFile(path.resolve(file)), persistDir)
console.log(`seeded ${result.clients.length} client(s): ${result.clients.join(", ")}`)
console.log(`seeded ${result.users.length} user(s): ${result.users.join(", ")}`)
for (const iat of result.initialAccessTokens ?? []) {
  console.log(`initial access token ${iat.description === "" ? iat.id.slice(0, 12) : `"${iat.description}"`} (shown once, expires ${new Date(iat.expiresAt).toISOString()}): ${iat.token}`)
}
for (const [clientId, secret] of Object.entries(result.generatedSecrets ?? {})) {
  console.log(`generated client_secret for ${clientId} (shown once, only its hash is stored): ${secret}`)
}
