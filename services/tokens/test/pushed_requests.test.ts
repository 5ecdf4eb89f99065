/**
 * Pushed authorization requests in the tokens service (RFC 9126 §2–§4): the
 * programs against the real PARRequestStore shards, under a controllable clock.
 */
import { env } from "cloudflare:workers"
import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test"
import { Cause, Clock, Effect, Exit } from "effect"
import { describe, expect, it } from "vitest"
import { consumePushedRequest, PARStores, parTtlSeconds, pushAuthorizationRequest } from "../src/par/pushed_requests.ts"
import { newRequestUri, parShardCount, parShardOf, randomParShardIndex } from "../src/par/request_uri_format.ts"
import { codeOf, ManualClock } from "./token_fixtures.ts"

const parameters = { client_id: "client-a", response_type: "code", redirect_uri: "https://rp.example/cb", scope: "openid", state: "s1" }

const provided = <A, E>(effect: Effect.Effect<A, E, PARStores>, clock: Clock.Clock) =>
  effect.pipe(Effect.provideService(PARStores, PARStores.fromEnv(env)), Effect.provideService(Clock.Clock, clock))

const run = <A, E>(effect: Effect.Effect<A, E, PARStores>, clock: Clock.Clock) => Effect.runPromise(provided(effect, clock))

const failureOf = async <A, E>(effect: Effect.Effect<A, E, PARStores>, clock: Clock.Clock): Promise<E> => {
  const exit = await Effect.runPromiseExit(provided(effect, clock))
  if (Exit.isSuccess(exit)) throw new Error(`expected a failure, got ${JSON.stringify(exit.value)}`)
  const failure = exit.cause.reasons.find(Cause.isFailReason)
  if (failure === undefined) throw Cause.squash(exit.cause)
  return failure.error
}

const push = (clock: ManualClock, ttlSeconds?: number) =>
  run(pushAuthorizationRequest({ clientId: "client-a", parameters, ...(ttlSeconds === undefined ? {} : { ttlSeconds }) }), clock)

describe("request_uri — RFC 9126 §2.2", () => {
  it("is a URN that names its shard, with 256 random bits", async () => {
    const { requestUri, expiresIn } = await push(new ManualClock())
    expect(requestUri).toMatch(/^urn:ietf:params:oauth:request_uri:par\d{2}_[A-Za-z0-9_-]{43}$/)
    expect(parShardOf(requestUri)).toBe(requestUri.slice(34, 39))
    expect(expiresIn).toBe(90)
  })

  it("lifetime: 90 s by default, the configured one otherwise, never above 600 s", () => {
    expect([parTtlSeconds(undefined), parTtlSeconds(30), parTtlSeconds(3600), parTtlSeconds(0)]).toEqual([90, 30, 600, 1])
  })

  it("rejects strings that are not our request_uris without touching a shard", () => {
    expect(parShardOf("https://rp.example/request.jwt")).toBeNull()
    expect(parShardOf("urn:ietf:params:oauth:request_uri:par99_" + "a".repeat(43))).toBeNull()
  })

  it("spreads request_uris evenly over the 32 shards", () => {
    const counts = new Array<number>(parShardCount).fill(0)
    for (let i = 0; i < 32_000; i++) counts[randomParShardIndex()]! += 1
    expect(Math.min(...counts)).toBeGreaterThan(800)
    expect(Math.max(...counts)).toBeLessThan(1200)
    expect(parShardOf(newRequestUri().requestUri)).toMatch(/^par\d{2}$/)
  })
})

describe("consuming a pushed request — RFC 9126 §4", () => {
  it("returns the pushed parameters once; a second use is invalid_request_uri", async () => {
    const clock = new ManualClock()
    const { requestUri } = await push(clock)
    expect(await run(consumePushedRequest({ requestUri, clientId: "client-a" }), clock)).toEqual({ parameters })
    expect(codeOf(await failureOf(consumePushedRequest({ requestUri, clientId: "client-a" }), clock))).toBe("invalid_request_uri")
  })

  it("is bound to the client: another client is refused and does not burn it", async () => {
    const clock = new ManualClock()
    const { requestUri } = await push(clock)
    expect(codeOf(await failureOf(consumePushedRequest({ requestUri, clientId: "client-b" }), clock))).toBe("invalid_request_uri")
    expect(await run(consumePushedRequest({ requestUri, clientId: "client-a" }), clock)).toEqual({ parameters })
  })

  it("expires after its lifetime (configured 30 s)", async () => {
    const clock = new ManualClock()
    const { requestUri, expiresIn } = await push(clock, 30)
    expect(expiresIn).toBe(30)
    clock.advance(30_000)
    expect(codeOf(await failureOf(consumePushedRequest({ requestUri, clientId: "client-a" }), clock))).toBe("invalid_request_uri")
  })

  it("is still usable just before it expires", async () => {
    const clock = new ManualClock()
    const { requestUri } = await push(clock)
    clock.advance(89_999)
    expect(await run(consumePushedRequest({ requestUri, clientId: "client-a" }), clock)).toEqual({ parameters })
  })

  it("unknown request_uri in a valid shard is invalid_request_uri", async () => {
    const requestUri = newRequestUri().requestUri
    expect(codeOf(await failureOf(consumePushedRequest({ requestUri, clientId: "client-a" }), new ManualClock()))).toBe("invalid_request_uri")
  })
})

describe("single use under concurrency — RFC 9126 §4", () => {
  it("20 concurrent uses of one request_uri: exactly one gets the parameters", async () => {
    const clock = new ManualClock()
    const { requestUri } = await push(clock)
    const outcomes = await Promise.all(
      Array.from({ length: 20 }, () => run(Effect.result(consumePushedRequest({ requestUri, clientId: "client-a" })), clock))
    )
    const winners = outcomes.filter((o) => o._tag === "Success")
    const losers = outcomes.flatMap((o) => (o._tag === "Failure" ? [codeOf(o.failure)] : []))
    expect(winners).toHaveLength(1)
    expect(losers).toEqual(new Array(19).fill("invalid_request_uri"))
  })
})

describe("PARRequestStore storage and purge (alarm)", () => {
  it("stores only the hash of the request_uri, and purges expired requests at the alarm", async () => {
    const stub = env.PAR_REQUESTS.get(env.PAR_REQUESTS.idFromName("par-alarm-test"))
    const now = Date.now()
    await stub.push({ requestUriHash: "expired", clientId: "client-a", parametersJson: "{}", now: now - 60_000, expiresAt: now - 1 })
    await stub.push({ requestUriHash: "live", clientId: "client-a", parametersJson: "{}", now, expiresAt: now + 90_000 })
    await runDurableObjectAlarm(stub)
    await runInDurableObject(stub, async (_store, state) => {
      const rows = state.storage.sql.exec<{ request_uri_hash: string }>("SELECT request_uri_hash FROM pushed_requests").toArray()
      expect(rows.map((r) => r.request_uri_hash)).toEqual(["live"])
      expect(await state.storage.getAlarm()).toBe(now + 90_000)
    })
  })

  it("the pushed request_uri itself never appears in storage", async () => {
    const clock = new ManualClock()
    const { requestUri } = await push(clock)
    const stub = env.PAR_REQUESTS.get(env.PAR_REQUESTS.idFromName(parShardOf(requestUri)!))
    await runInDurableObject(stub, (_store, state) => {
      const dump = JSON.stringify(state.storage.sql.exec("SELECT * FROM pushed_requests").toArray())
      expect(dump).not.toContain(requestUri.slice(-43))
    })
  })
})
