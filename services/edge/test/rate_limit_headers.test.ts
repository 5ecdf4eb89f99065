import { env } from "cloudflare:workers"
import { describe, expect, it } from "vitest"
import worker from "../src/index.ts"
import { seedClient } from "./support/fixtures.ts"
import { basicAuth } from "./support/flows.ts"

/** A request as the worker's fetch handler receives it. */
type IncomingRequest = Parameters<typeof worker.fetch>[0]

/** A fresh client IP per test: counters outlive a test file. */
const freshIp = () => `2001:db8::${crypto.randomUUID().slice(0, 4)}:${crypto.randomUUID().slice(0, 4)}`

/** The edge with the token policy at `limit` per minute. */
const edgeWithTokenLimit = (limit: number) => {
  const configured = { ...env, RATE_LIMIT_POLICIES: JSON.stringify({ token: { limit, windowSeconds: 60 } }) }
  return (request: IncomingRequest) => worker.fetch(request, configured)
}

/** A client_credentials request of `client` from `ip` (none: no `cf-connecting-ip`). */
const clientCredentialsRequest = (client: { clientId: string; secret: string | null }, ip: string | null): IncomingRequest =>
  new Request("https://op.test/token", {
    method: "POST",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      authorization: basicAuth(client.clientId, client.secret!),
      ...(ip === null ? {} : { "cf-connecting-ip": ip })
    },
    body: new URLSearchParams({ grant_type: "client_credentials" }).toString()
  })

const rateLimitFields = (response: Response) => ({
  limit: response.headers.get("ratelimit-limit"),
  remaining: response.headers.get("ratelimit-remaining"),
  reset: Number(response.headers.get("ratelimit-reset"))
})

describe("RateLimit header fields on admitted /token responses (draft-ietf-httpapi-ratelimit-headers)", () => {
  it("each admitted answer says the limit, what is left of the window and when it resets; no Retry-After", async () => {
    const fetchEdge = edgeWithTokenLimit(3)
    const client = await seedClient({ grantTypes: ["client_credentials"], redirectUris: [], scope: "profile" })
    const ip = freshIp()
    const remaining: Array<string | null> = []
    for (let i = 0; i < 3; i++) {
      const response = await fetchEdge(clientCredentialsRequest(client, ip))
      expect(response.status).toBe(200)
      expect(response.headers.get("retry-after")).toBeNull()
      const fields = rateLimitFields(response)
      expect(fields.limit).toBe("3")
      expect(fields.reset).toBeGreaterThanOrEqual(0)
      expect(fields.reset).toBeLessThanOrEqual(60)
      remaining.push(fields.remaining)
    }
    expect(remaining).toEqual(["2", "1", "0"])
    const refused = await fetchEdge(clientCredentialsRequest(client, ip))
    expect(refused.status).toBe(429)
    expect(refused.headers.get("retry-after")).not.toBeNull()
  })

  it("an admitted request that fails (invalid_client) carries them too", async () => {
    const fetchEdge = edgeWithTokenLimit(5)
    const response = await fetchEdge(clientCredentialsRequest({ clientId: "no-such-client", secret: "x" }, freshIp()))
    expect(response.status).toBe(401)
    expect(rateLimitFields(response)).toMatchObject({ limit: "5", remaining: "4" })
  })

  it("without a client IP (nothing counted) or with the limiter unreachable (fail open), there are none", async () => {
    const client = await seedClient({ grantTypes: ["client_credentials"], redirectUris: [], scope: "profile" })
    const noIp = await edgeWithTokenLimit(5)(clientCredentialsRequest(client, null))
    expect(noIp.status).toBe(200)
    expect(noIp.headers.get("ratelimit-limit")).toBeNull()
    const limiterDown = await worker.fetch(clientCredentialsRequest(client, freshIp()), { ...env, RATELIMIT: env.RATELIMIT_UNREACHABLE })
    expect(limiterDown.status).toBe(200)
    expect(limiterDown.headers.get("ratelimit-limit")).toBeNull()
  })
})
