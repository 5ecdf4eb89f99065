/**
 * `npm run initial-access-token -- [--description TEXT] [--expires-in SECONDS] [--single-use]
 *   [--scope "openid email"] [--persist-to DIR]`: creates one initial access token for dynamic client
 * registration (RFC 7591 `POST /register`) in the local provider, through the identity service (the
 * seed runner), and prints it once — only its SHA-256 is stored. Until the admin API (`/admin/api/v1`)
 * manages them, this and the seed file's `initial_access_tokens` are how an operator makes one.
 */
import path from "node:path"
import { migrate, repoRoot, seed } from "./local_stack.ts"

const args = process.argv.slice(2)
const valueOf = (flag: string): string | undefined => {
  const i = args.indexOf(flag)
  return i >= 0 ? args[i + 1] : undefined
}
const expiresIn = valueOf("--expires-in")
const scope = valueOf("--scope")
const persistDir = path.resolve(valueOf("--persist-to") ?? path.join(repoRoot, ".wrangler/state"))
migrate(persistDir)
const result = await seed({
  initial_access_tokens: [{
    description: valueOf("--description") ?? "created with npm run initial-access-token",
    ...(expiresIn === undefined ? {} : { expires_in: Number(expiresIn) }),
    single_use: args.includes("--single-use"),
    ...(scope === undefined ? {} : { policy: { scope } })
  }]
}, persistDir)
const [created] = result.initialAccessTokens ?? []
if (created === undefined) throw new Error("the identity service created no token")
console.log(`initial access token (shown once, expires ${new Date(created.expiresAt).toISOString()}, id ${created.id}):`)
console.log(created.token)
