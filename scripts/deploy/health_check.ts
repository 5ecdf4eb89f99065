/**
 * `npm run deploy`'s last step: the edge's deep health check
 * (`GET <issuer>/health?deep=1` with `Authorization: Bearer <HEALTH_TOKEN>`,
 * services/edge/src/routes/health_endpoint.ts). Prints one line per check of
 * every backend and fails the deploy, naming the failing checks, unless the
 * edge answers 200 with every check ok.
 */

/** One check as the edge reports it (contracts/src/health.ts). */
interface ReportedCheck {
  readonly name: string
  readonly ok: boolean
  readonly ms: number
  readonly detail?: string
}

interface ReportedService {
  readonly service: string
  readonly ok: boolean
  readonly checks: ReadonlyArray<ReportedCheck>
}

/** An HTTP answer as the check needs it. */
export interface HealthAnswer {
  readonly status: number
  readonly body: unknown
}

/** Calls the deep health check (the real one is `fetch`; tests pass a fake). */
export type FetchHealth = (url: string, token: string) => Promise<HealthAnswer>

export const fetchHealth: FetchHealth = async (url, token) => {
  const response = await fetch(url, { headers: { accept: "application/json", authorization: `Bearer ${token}` } })
  const text = await response.text()
  let body: unknown = text
  try {
    body = JSON.parse(text)
  } catch {
    // Not JSON (a proxy's error page): reported as it is.
  }
  return { status: response.status, body }
}

const servicesOf = (body: unknown): ReadonlyArray<ReportedService> | undefined => {
  const services = (body as { services?: unknown } | null)?.services
  return Array.isArray(services) ? (services as ReadonlyArray<ReportedService>) : undefined
}

/** The per-service table: service, check, ok/FAIL, milliseconds, detail. */
export const healthTable = (services: ReadonlyArray<ReportedService>): string => {
  const rows = services.flatMap((s) => s.checks.map((c) => [s.service, c.name, c.ok ? "ok" : "FAIL", `${c.ms} ms`, c.detail ?? ""]))
  const header = ["service", "check", "state", "time", "detail"]
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)))
  return [header, ...rows].map((r) => r.map((cell, i) => cell.padEnd(widths[i]!)).join("  ").trimEnd()).join("\n")
}

/** Runs the deep health check; answers whether every service is healthy (printing why not). Retried while the answer is not a report. */
export const checkHealth = async (issuer: string, token: string, get: FetchHealth, log: (line: string) => void, attempts = 3): Promise<boolean> => {
  const url = `${issuer}/health?deep=1`
  let last = ""
  for (let attempt = 1; attempt <= attempts; attempt++) {
    try {
      const answer = await get(url, token)
      const services = servicesOf(answer.body)
      if (services !== undefined) {
        log(healthTable(services))
        const failing = services.flatMap((s) => s.checks.filter((c) => !c.ok).map((c) => `${s.service} ${c.name}${c.detail === undefined ? "" : `: ${c.detail}`}`))
        if (answer.status === 200 && failing.length === 0 && services.every((s) => s.ok)) {
          log(`health ok: ${url} (${services.length} services)`)
          return true
        }
        log(`error: health check failed (HTTP ${answer.status}): ${failing.join("; ") || "a service is not ok"}`)
        return false
      }
      last = answer.status === 401 || answer.status === 404
        ? `HTTP ${answer.status}: the edge refused the token (its HEALTH_TOKEN secret differs from deploy/<env>.health-token, or is unset)`
        : `HTTP ${answer.status}: ${JSON.stringify(answer.body).slice(0, 200)}`
      if (answer.status === 401 || answer.status === 404) break
    } catch (error) {
      last = String(error)
    }
    if (attempt < attempts) await new Promise((resolve) => setTimeout(resolve, attempt * 2000))
  }
  log(`error: health check failed: ${url}: ${last}`)
  return false
}
