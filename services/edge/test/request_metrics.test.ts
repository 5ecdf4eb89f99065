/** The edge's Analytics Engine point per request (src/http/request_metrics.ts, issue 11 §4). */
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test"
import { env } from "cloudflare:workers"
import { newCallCounts, type MetricsDataset } from "@authrim/contracts"
import { describe, expect, it } from "vitest"
import worker from "../src/index.ts"
import { edgeRequestDataPoint, oauthErrorOf, statusClassOf } from "../src/http/request_metrics.ts"
import { Browser, ORIGIN } from "./support/browser.ts"

type Point = Parameters<MetricsDataset["writeDataPoint"]>[0]

/** Runs one request through the edge in-process with a recording METRICS dataset; answers the response and the points. */
const withRecordedMetrics = async (request: Request) => {
  const points: Array<Point> = []
  const execution = createExecutionContext()
  const response = await worker.fetch(request as Request<unknown, IncomingRequestCfProperties>, { ...env, METRICS: { writeDataPoint: (p) => void points.push(p) } }, execution)
  await waitOnExecutionContext(execution)
  return { response, points }
}

describe("edge request data point", () => {
  it("is composed of route, method, status class, OAuth error and colo; latency, status, service calls, refusal", () => {
    const counts = { ...newCallCounts(), serviceCalls: 3 }
    expect(edgeRequestDataPoint({ route: "/token", method: "POST", status: 400, oauthError: "invalid_grant", colo: "NRT", latencyMs: 17, counts, coldIsolate: true })).toEqual({
      indexes: ["/token"],
      blobs: ["/token", "POST", "4xx", "invalid_grant", "NRT"],
      doubles: [17, 400, 3, 0, 1]
    })
    expect(edgeRequestDataPoint({ route: null, method: "GET", status: 429, oauthError: null, colo: null, latencyMs: 1, counts: newCallCounts(), coldIsolate: false })).toEqual({
      indexes: ["(unmatched)"],
      blobs: ["(unmatched)", "GET", "4xx", "", ""],
      doubles: [1, 429, 0, 1, 0]
    })
    expect(statusClassOf(302)).toBe("3xx")
  })

  it("reads the OAuth error of a JSON body or of a redirect back to the RP, leaving the response readable", async () => {
    const json = new Response(JSON.stringify({ error: "invalid_client" }), { status: 401, headers: { "content-type": "application/json" } })
    expect(await oauthErrorOf(json)).toBe("invalid_client")
    expect(await json.json()).toEqual({ error: "invalid_client" })
    expect(await oauthErrorOf(Response.redirect("https://rp.test/cb?error=access_denied&state=s", 302))).toBe("access_denied")
    expect(await oauthErrorOf(Response.redirect("https://rp.test/cb#error=login_required", 302))).toBe("login_required")
    expect(await oauthErrorOf(new Response("<html>", { status: 400, headers: { "content-type": "text/html" } }))).toBeNull()
  })

  it("a request with the METRICS binding present (wrangler.jsonc) still answers normally", async () => {
    const discovery = await new Browser().request("/.well-known/openid-configuration")
    expect(discovery.status).toBe(200)
    const token = await new Browser().request("/token", { method: "POST", body: new URLSearchParams({ grant_type: "nonsense" }) })
    expect(token.status).toBe(401)
    expect(await token.json()).toMatchObject({ error: "invalid_client" })
  })

  it("writes one point per request, with the OAuth error and the backend calls it made", async () => {
    const { response, points } = await withRecordedMetrics(new Request(`${ORIGIN}/token`, {
      method: "POST",
      body: new URLSearchParams({ grant_type: "nonsense" })
    }))
    expect(response.status).toBe(401)
    expect(points).toHaveLength(1)
    expect(points[0]).toMatchObject({ indexes: ["/token"], blobs: ["/token", "POST", "4xx", "invalid_client", ""] })
    const [latency, status, serviceCalls, refused] = points[0]!.doubles!
    expect(latency).toBeGreaterThanOrEqual(0)
    expect(status).toBe(401)
    expect(serviceCalls).toBeGreaterThanOrEqual(0)
    expect(refused).toBe(0)
  })

  it("an unknown path is one '(unmatched)' point, not a route of its own", async () => {
    const { response, points } = await withRecordedMetrics(new Request(`${ORIGIN}/wp-admin/setup.php`))
    expect(response.status).toBe(404)
    expect(points).toEqual([{ indexes: ["(unmatched)"], blobs: ["(unmatched)", "GET", "4xx", "", ""], doubles: [expect.any(Number), 404, 0, 0, expect.any(Number)] }])
  })

  it("a dataset that throws never fails the request", async () => {
    const execution = createExecutionContext()
    const response = await worker.fetch(new Request(`${ORIGIN}/.well-known/openid-configuration`) as Request<unknown, IncomingRequestCfProperties>,
      { ...env, METRICS: { writeDataPoint: () => { throw new Error("quota") } } }, execution)
    await waitOnExecutionContext(execution)
    expect(response.status).toBe(200)
  })
})
