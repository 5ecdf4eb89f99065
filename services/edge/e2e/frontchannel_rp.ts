/**
 * The RP side of front-channel logout in the end-to-end tests: a seeded client
 * whose `frontchannel_logout_uri`, redirect and post-logout redirect all point
 * at a small Node HTTP server the test starts, on a port chosen in the global
 * setup. The server records every front-channel request (its query) and
 * answers the other paths with a plain page.
 */
import http from "node:http"
import type { SeedFile } from "../../../scripts/local_stack.ts"

declare module "vitest" {
  export interface ProvidedContext {
    frontchannelPort: number
  }
}

/** The seeded client that is told about logouts through the browser. */
export const FRONTCHANNEL_CLIENT_ID = "e2e-frontchannel"

/** Where the RP of port `port` lives. */
export const frontchannelRpUrl = (port: number, path: string) => `http://127.0.0.1:${port}${path}`

/** `file` plus the front-channel client (public, consent skipped: the browser test is about logout). */
export const withFrontchannelClient = (file: SeedFile, port: number): SeedFile => ({
  ...file,
  clients: [...(file.clients ?? []), {
    client_id: FRONTCHANNEL_CLIENT_ID,
    client_name: "E2E front-channel logout RP",
    public: true,
    redirect_uris: [frontchannelRpUrl(port, "/cb")],
    post_logout_redirect_uris: [frontchannelRpUrl(port, "/logged-out")],
    frontchannel_logout_uri: frontchannelRpUrl(port, "/fc?rp=e2e"),
    grant_types: ["authorization_code"],
    skip_consent: true
  }]
})

/** One request the RP received: its path and query, and when (ms). */
export interface RpRequest {
  readonly path: string
  readonly query: URLSearchParams
  readonly at: number
}

/** A running RP: every request is recorded; all answer 200 with a tiny HTML page. */
export const startFrontchannelRp = async (port: number) => {
  const received: RpRequest[] = []
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", `http://127.0.0.1:${port}`)
    received.push({ path: url.pathname, query: url.searchParams, at: Date.now() })
    res.writeHead(200, { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" })
    res.end(`<!doctype html><title>RP ${url.pathname}</title><h1>RP ${url.pathname}</h1>`)
  })
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject)
    server.listen(port, "127.0.0.1", () => resolve())
  })
  return {
    received,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve()))
  }
}
