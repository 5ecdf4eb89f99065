/**
 * The `--var`s the bench gives `wrangler dev` (only the edge, the first
 * config, reads them): the issuer, the bench-only route, and every rate-limit
 * policy raised so the bench is never throttled — the checks still run and
 * cost what they cost. `AUTHRIM_ENV=development` (without which
 * `/dev/rate-limit-check` is a 404) comes with every worker's development
 * config (scripts/local_stack.ts `startDev`, scripts/development_settings.ts),
 * and so does `authrimBenchWorkerVars` (which also restores production's audit default).
 */
import type { PolicyId } from "../services/edge/src/http/rate_limit_policies.ts"

/** Every policy id; typed so a policy added to the edge fails the typecheck here until it is raised too. */
const policyIds = {
  token: true, authorize: true, loginFailuresPerAccountIp: true, loginFailuresPerIp: true, loginFailuresPerDevice: true, devicePoll: true,
  registration: true, clientEndpointsPerIp: true, clientEndpointsPerClient: true, deviceCodeEntryPerIp: true, deviceCodeEntryPerBrowser: true,
  passkeyLoginPerIp: true, emailPerIp: true, emailPerAddress: true
} as const satisfies Record<PolicyId, true>

export const BENCH_POLICY_LIMIT = 1_000_000_000

/**
 * Vars of every worker of the bench (`startDev`'s `everyWorkerVars`): the
 * cost meter on (packages/cost-meter) — each backend then counts its bindings
 * and reports them in its RPC envelopes, and the edge sends the total as
 * `x-authrim-cost`. Off, as in production, none of that code runs.
 */
export const authrimBenchWorkerVars: Readonly<Record<string, string>> = {
  COST_METER_HEADER: "true",
  // Production's audit default (development audits every refresh; services/tokens/src/token_audit.ts).
  AUDIT_REFRESH_EVENTS: "none"
}

export const authrimBenchVars = (issuer: string): Record<string, string> => ({
  ISSUER: issuer,
  BENCH_ROUTES: "true",
  RATE_LIMIT_POLICIES: JSON.stringify(Object.fromEntries(Object.keys(policyIds).map((id) => [id, { limit: BENCH_POLICY_LIMIT, windowSeconds: 60 }])))
})

/**
 * Checks that the vars reached the edge: the issuer in discovery, and the
 * bench route answering (a 404 means `BENCH_ROUTES` did not arrive). Returns
 * whether the cost header is present.
 */
export const confirmAuthrimVars = async (url: string, issuer: string): Promise<{ meterPresent: boolean }> => {
  const discovery = await fetch(`${url}/.well-known/openid-configuration`)
  const meta = (await discovery.json()) as { issuer?: string }
  if (meta.issuer !== issuer) throw new Error(`the edge did not get ISSUER (discovery says ${meta.issuer})`)
  const probe = await fetch(`${url}/dev/rate-limit-check`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: "key=probe" })
  await probe.body?.cancel()
  if (probe.status !== 200) throw new Error(`the edge did not get BENCH_ROUTES (POST /dev/rate-limit-check answered ${probe.status})`)
  return { meterPresent: discovery.headers.has("x-authrim-cost") || probe.headers.has("x-authrim-cost") }
}
