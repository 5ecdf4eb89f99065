/**
 * The edge's one Analytics Engine data point per HTTP request (issue 11 §4),
 * dataset `authrim_edge_requests` bound as `METRICS` (wrangler.jsonc; absent
 * binding: nothing written). Layout, which docs/operations.md queries:
 *   index1 = route (the route table's path; "(unmatched)" for any other path, so
 *            scanners cannot blow up the cardinality)
 *   blob1 = route, blob2 = method, blob3 = status class ("2xx" … "5xx"),
 *   blob4 = OAuth error code or "", blob5 = colo ("" when unknown)
 *   double1 = latency ms, double2 = status, double3 = service-binding calls made,
 *   double4 = rate-limit refusal (1 when answered 429 — every limiter refusal is, JSON or page — else 0),
 *   double5 = cold isolate (1 for the first request this isolate served, else 0)
 */
import type { CallCounts, DataPoint, MetricsDataset } from "@authrim/contracts"
import { writeDataPoint } from "@authrim/contracts"

/** What one request's point is made of. */
export interface EdgeRequestFacts {
  readonly route: string | null
  readonly method: string
  readonly status: number
  readonly oauthError: string | null
  readonly colo: string | null
  readonly latencyMs: number
  readonly counts: CallCounts
  readonly coldIsolate: boolean
}

/** "2xx" for 200–299, …; anything outside 100–599 is "other". */
export const statusClassOf = (status: number): string =>
  status >= 100 && status < 600 ? `${Math.floor(status / 100)}xx` : "other"

/** The request's data point (layout in the module comment). */
export const edgeRequestDataPoint = (facts: EdgeRequestFacts): DataPoint => {
  const route = facts.route ?? "(unmatched)"
  return {
    indexes: [route],
    blobs: [route, facts.method, statusClassOf(facts.status), facts.oauthError ?? "", facts.colo ?? ""],
    doubles: [facts.latencyMs, facts.status, facts.counts.serviceCalls, facts.status === 429 ? 1 : 0, facts.coldIsolate ? 1 : 0]
  }
}

const errorCodePattern = /^[a-z_]{1,64}$/

/**
 * The OAuth error code an answer carries, if any: `error` of a JSON error body (4xx/5xx),
 * or of the redirect URI's query or fragment (an error sent back to the RP). Reads a
 * clone, so the response itself is untouched; anything unexpected is "no code".
 */
export const oauthErrorOf = async (response: Response): Promise<string | null> => {
  if (!needsBody(response)) return oauthErrorWithoutBody(response)
  try {
    const body: unknown = await response.clone().json()
    const code = typeof body === "object" && body !== null ? (body as { readonly error?: unknown }).error : undefined
    return typeof code === "string" && errorCodePattern.test(code) ? code : null
  } catch {
    return null
  }
}

/** The OAuth error code of an answer whose body need not be read: a redirect's `error` parameter, else none. */
const oauthErrorWithoutBody = (response: Response): string | null => {
  try {
    if (response.status < 300 || response.status >= 400) return null
    const location = response.headers.get("location")
    if (location === null || !location.includes("error=")) return null
    const url = new URL(location, "https://edge.invalid")
    const code = url.searchParams.get("error") ?? new URLSearchParams(url.hash.slice(1)).get("error")
    return code !== null && errorCodePattern.test(code) ? code : null
  } catch {
    return null
  }
}

/** Whether finding the answer's OAuth error needs its body (a JSON error); everything else is known at once. */
const needsBody = (response: Response): boolean =>
  response.status >= 400 && (response.headers.get("content-type") ?? "").includes("json") && !response.bodyUsed

let isolateServed = false

/** True for the first request of this isolate (a cold start), false after. */
export const firstOfIsolate = (): boolean => {
  const first = !isolateServed
  isolateServed = true
  return first
}

/**
 * Writes the request's point; never throws or rejects (a metric never fails the request). Synchronous — no
 * `waitUntil` — unless the OAuth error code has to be read from a JSON error body: then it answers the
 * promise of that write for the caller to hand to `waitUntil`, else null.
 */
export const recordEdgeRequest = (
  dataset: MetricsDataset,
  response: Response,
  facts: Omit<EdgeRequestFacts, "oauthError" | "status">
): Promise<void> | null => {
  const write = (oauthError: string | null) => {
    try {
      writeDataPoint(dataset, edgeRequestDataPoint({ ...facts, status: response.status, oauthError }))
    } catch {
      // nothing to do: the answer is already on its way
    }
  }
  if (!needsBody(response)) {
    // redirects and non-error answers: the code (if any) is in the Location header — written now, no waitUntil
    write(oauthErrorWithoutBody(response))
    return null
  }
  return oauthErrorOf(response).then(write, () => write(null))
}
