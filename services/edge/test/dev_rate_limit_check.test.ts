import { env } from "cloudflare:workers"
import { Effect } from "effect"
import { describe, expect, it } from "vitest"
import worker from "../src/index.ts"
import { edgeLayer } from "../src/edge_layer.ts"
import { rateLimitCheck } from "../src/routes/dev_rate_limit_check.ts"

/** A request as the worker's fetch handler receives it. */
type IncomingRequest = Parameters<typeof worker.fetch>[0]

const checkRequest = (body: string, contentType: string): IncomingRequest =>
  new Request("https://op.test/dev/rate-limit-check", { method: "POST", headers: { "content-type": contentType }, body })

/** The handler behind the `BENCH_ROUTES` switch, with this test run's backends. */
const check = (request: Request) => Effect.runPromise(rateLimitCheck(request, { issuer: "https://op.test" }).pipe(Effect.provide(edgeLayer(env))))

describe("POST /dev/rate-limit-check (npm run bench only)", () => {
  it("is a plain 404, like an unknown path, while BENCH_ROUTES is unset", async () => {
    const response = await worker.fetch(checkRequest("key=anything", "application/x-www-form-urlencoded"), env)
    expect(response.status).toBe(404)
    expect(await response.text()).toBe("Not found")
  })

  it("counts one check per request for a form or JSON key", async () => {
    const key = `test-${crypto.randomUUID()}`
    const first = await check(checkRequest(new URLSearchParams({ key }).toString(), "application/x-www-form-urlencoded"))
    expect(first.status).toBe(200)
    expect(await first.json()).toMatchObject({ allowed: true, current: 1 })
    const second = await check(checkRequest(JSON.stringify({ key }), "application/json"))
    expect(second.status).toBe(200)
    expect(await second.json()).toMatchObject({ allowed: true, current: 2 })
  })

  it("answers invalid_request for a missing, overlong or non-printable key and for another body type", async () => {
    const bad = [
      checkRequest("", "application/x-www-form-urlencoded"),
      checkRequest(new URLSearchParams({ key: "x".repeat(257) }).toString(), "application/x-www-form-urlencoded"),
      checkRequest(JSON.stringify({ key: "has space" }), "application/json"),
      checkRequest(JSON.stringify({ key: 7 }), "application/json"),
      checkRequest("{not json", "application/json"),
      checkRequest("key=x", "text/plain")
    ]
    for (const request of bad) {
      const response = await check(request)
      expect(response.status).toBe(400)
      expect(await response.json()).toMatchObject({ error: "invalid_request" })
    }
  })
})

describe("POST /dev/warm-up (npm run bench:cold-shard only)", () => {
  it("is a plain 404, like an unknown path, while BENCH_ROUTES is unset", async () => {
    const response = await worker.fetch(
      new Request("https://op.test/dev/warm-up", { method: "POST", headers: { "content-type": "application/json" }, body: "{}" }) as IncomingRequest,
      env
    )
    expect(response.status).toBe(404)
    expect(await response.text()).toBe("Not found")
  })
})
