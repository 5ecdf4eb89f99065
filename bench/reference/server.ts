/**
 * `node bench/reference/server.ts --port P --users N`: the reference provider
 * of `npm run bench` — oidc-provider 9 (in-memory adapter) with the bench
 * client and N bench users, plus `POST /dev/rate-limit-check` (an in-process
 * fixed-window Map; see fixed_window_limiter.ts). Listens on 127.0.0.1 only;
 * prints "ready <url>" once it answers.
 */
import http from "node:http"
import Provider from "oidc-provider"
import { loadBenchAccounts } from "./accounts.ts"
import { makeFixedWindowLimiter } from "./fixed_window_limiter.ts"
import { handleInteraction, readForm } from "./interactions.ts"
import { referenceConfiguration } from "./provider_config.ts"

const arg = (name: string) => {
  const i = process.argv.indexOf(`--${name}`)
  const value = i >= 0 ? Number(process.argv[i + 1]) : NaN
  if (!Number.isInteger(value) || value < 0) throw new Error(`--${name} <integer> is required`)
  return value
}
const port = arg("port")
const accounts = await loadBenchAccounts(arg("users"))
const issuer = `http://127.0.0.1:${port}`
const provider = new Provider(issuer, await referenceConfiguration(accounts))
const providerCallback = provider.callback()
// Same fixed policy as Authrim's bench route (services/edge/src/routes/dev_rate_limit_check.ts).
const check = makeFixedWindowLimiter(1_000_000, 60)

const rateLimitCheck = async (req: http.IncomingMessage, res: http.ServerResponse) => {
  const key = (await readForm(req)).get("key") ?? ""
  const ok = /^[\x21-\x7E]{1,256}$/.test(key)
  res.writeHead(ok ? 200 : 400, { "content-type": "application/json", "cache-control": "no-store" })
  res.end(JSON.stringify(ok ? check(`bench:${key}`) : { error: "invalid_request", error_description: "key must be 1 to 256 printable characters" }))
}

const server = http.createServer((req, res) => {
  const path = new URL(req.url ?? "/", issuer).pathname
  const handled = path === "/dev/rate-limit-check" && req.method === "POST"
    ? rateLimitCheck(req, res).then(() => true)
    : handleInteraction(provider, accounts, req, res)
  handled.then((done) => {
    if (!done) providerCallback(req, res)
  }).catch((error: unknown) => {
    console.error("reference: interaction failed", error)
    if (!res.headersSent) res.writeHead(500, { "content-type": "text/plain" })
    res.end("server error")
  })
})
server.listen(port, "127.0.0.1", () => console.log(`ready ${issuer}`))
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => server.close(() => process.exit(0)))
