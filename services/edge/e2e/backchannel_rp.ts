/**
 * The RP side of back-channel logout in the end-to-end tests: a seeded client
 * whose `backchannel_logout_uri` points at a small Node HTTP server the test
 * starts on a port chosen in the global setup (so parallel runs never clash).
 */
import http from "node:http"
import type { SeedFile } from "../../../scripts/local_stack.ts"

declare module "vitest" {
  export interface ProvidedContext {
    backchannelPort: number
  }
}

/** The seeded client that receives logout tokens. */
export const BACKCHANNEL_CLIENT_ID = "e2e-backchannel"
/** Its registered post-logout redirect URI. */
export const POST_LOGOUT_REDIRECT_URI = "http://127.0.0.1:9999/logged-out"

/** `file` plus the back-channel client, whose endpoint is `http://127.0.0.1:<port>/backchannel`. */
export const withBackchannelClient = (file: SeedFile, port: number): SeedFile => ({
  ...file,
  clients: [...(file.clients ?? []), {
    client_id: BACKCHANNEL_CLIENT_ID,
    client_name: "E2E back-channel logout RP",
    public: true,
    redirect_uris: ["http://127.0.0.1:9999/cb"],
    post_logout_redirect_uris: [POST_LOGOUT_REDIRECT_URI],
    backchannel_logout_uri: `http://127.0.0.1:${port}/backchannel`,
    grant_types: ["authorization_code", "refresh_token"]
  }]
})

/** One POST the RP received and what it answered. */
export interface ReceivedLogout {
  readonly contentType: string | undefined
  readonly body: URLSearchParams
  readonly answered: number
}

/** A running back-channel endpoint answering POSTs with `statuses` in turn (the last one repeats). */
export const startBackchannelReceiver = async (port: number, statuses: ReadonlyArray<number>) => {
  const received: ReceivedLogout[] = []
  const waiters: Array<() => void> = []
  const server = http.createServer((req, res) => {
    let text = ""
    req.setEncoding("utf8")
    req.on("data", (chunk: string) => (text += chunk))
    req.on("end", () => {
      const answered = statuses[Math.min(received.length, statuses.length - 1)]!
      received.push({ contentType: req.headers["content-type"], body: new URLSearchParams(text), answered })
      res.writeHead(answered, { "cache-control": "no-store" }).end()
      for (const wake of waiters.splice(0)) wake()
    })
  })
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject)
    server.listen(port, "127.0.0.1", () => resolve())
  })
  /** Waits until a POST was answered with 200, or `timeoutMs` passed (then fails). */
  const delivered = async (timeoutMs: number): Promise<ReceivedLogout> => {
    const deadline = Date.now() + timeoutMs
    for (;;) {
      const ok = received.find((r) => r.answered === 200)
      if (ok !== undefined) return ok
      const left = deadline - Date.now()
      if (left <= 0) throw new Error(`no successful back-channel delivery within ${timeoutMs} ms (${received.length} attempts)`)
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left)
        waiters.push(() => {
          clearTimeout(timer)
          resolve()
        })
      })
    }
  }
  return { received, delivered, stop: () => new Promise<void>((resolve) => server.close(() => resolve())) }
}
