/**
 * `npm run deploy -- --dry-run`, offline: six real bundles built once from the
 * merged configs (after a setup against a fake account), their sizes against
 * Workers' limits, and the binding cross-check — which must fail, naming the
 * binding, when a temporary copy of the committed configs breaks one.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import path from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { bundleLimits } from "../deploy/bundle_inspection.ts"
import { readCommittedWorkerConfigs } from "../deploy/committed_worker_configs.ts"
import { placeholderDeployment, readDeploymentConfig, type DeploymentConfig } from "../deploy/deployment_config.ts"
import { deployOrder } from "../deploy/deployment_names.ts"
import { bundleDirOf, dryRun, type DryRunReport } from "../deploy/dry_run.ts"
import type { FetchHealth } from "../deploy/health_check.ts"
import { reportDryRun, runDeploy } from "../deploy/run_deploy.ts"
import { runSetup } from "../deploy/run_setup.ts"
import { wranglerIn, type RunWrangler } from "../deploy/wrangler_runner.ts"
import { FakeCloudflareAccount } from "./support/fake_cloudflare_account.ts"

const repoRoot = path.resolve(import.meta.dirname, "..", "..")
const committed = readCommittedWorkerConfigs(repoRoot)

let deployDir: string
let deployment: DeploymentConfig
let report: DryRunReport

beforeAll(async () => {
  deployDir = mkdtempSync(path.join(tmpdir(), "authrim-deploy-"))
  await runSetup({
    env: "production",
    yes: true,
    reset: false,
    flags: { issuer: "https://id.example.com", emailFrom: "Example <no-reply@example.com>", webauthnRpId: "example.com" },
    committedWorkers: committed.map((c) => c.config.name),
    deployDir,
    wrangler: new FakeCloudflareAccount().wrangler,
    ask: async () => "",
    log: () => {},
    randomSecret: () => "x".repeat(43)
  })
  deployment = readDeploymentConfig(deployDir, "production") as DeploymentConfig
  // The one real build of this file: every other case reuses these bundles (a binding name does not change the code).
  report = dryRun({ committed, deployment, deployDir, wrangler: wranglerIn(repoRoot) })
}, 240_000)

afterAll(() => rmSync(deployDir, { recursive: true, force: true }))

const reuseBundles = (service: string) => bundleDirOf(deployDir, "production", service)
const merged = (service: string) => JSON.parse(readFileSync(path.join(deployDir, "production", service, "wrangler.json"), "utf8"))

describe("deploy --dry-run — six bundles and their bindings", () => {
  it("builds the six workers in deploy order, each under the free plan's 3 MB compressed, with no binding problem", () => {
    expect(report.problems).toEqual([])
    expect(report.rows.map((r) => r.worker)).toEqual(deployOrder.map((s) => `authrim-${s}`))
    for (const row of report.rows) {
      expect(row.compressedBytes).toBeGreaterThan(10_000)
      expect(row.compressedBytes).toBeLessThan(bundleLimits.freeBytes)
    }
    expect(report.rows.find((r) => r.worker === "authrim-keys")?.crons).toEqual(["0 3 * * *"])
    // Nine service bindings: KEYS, SESSION, TOKENS, RATELIMIT, IDENTITY and the admin API's KEYS_ADMIN, SESSION_ADMIN, TOKENS_ADMIN, IDENTITY_ADMIN (issue 13 §2).
    expect(report.rows.find((r) => r.worker === "authrim-edge")?.bindings).toBe(9)
    const lines: Array<string> = []
    expect(reportDryRun(report, (line) => lines.push(line))).toBe(true)
    expect(lines[0]?.split("\n")[0]).toMatch(/^worker\s+compressed\s+bindings\s+vars\s+crons$/)
  })

  it("deploys with the generated ids and settings merged into the committed configs", () => {
    const identity = merged("identity")
    expect(identity.d1_databases[0]).toMatchObject({ database_name: "authrim-production", database_id: deployment.databases.DB?.id })
    expect(identity.kv_namespaces.map((k: { id: string }) => k.id)).toEqual(["CLIENTS", "SETTINGS", "STATE_STORE", "NONCE_STORE", "INITIAL_ACCESS_TOKENS"].map((b) => deployment.namespaces[b]?.id))
    // KV SETTINGS (issue 12 §5) is read by tokens and session too: the same generated namespace id.
    expect(merged("tokens").kv_namespaces[0].id).toBe(deployment.namespaces.SETTINGS?.id)
    expect(merged("session").kv_namespaces[0].id).toBe(deployment.namespaces.SETTINGS?.id)
    expect(identity.vars).toMatchObject({ AUTHRIM_ENV: "production", EMAIL_TRANSPORT: "send_email", WEBAUTHN_ORIGINS: "https://id.example.com" })
    expect(identity.send_email).toEqual([{ name: "SEND_EMAIL" }])
    expect(merged("tokens").queues.consumers[0]).toMatchObject({ queue: "authrim-production-backchannel-logout", dead_letter_queue: "authrim-production-backchannel-logout-dlq" })
    expect(merged("edge").vars.ISSUER).toBe("https://id.example.com")
    // keys signs only tokens naming the edge's issuer (services/keys/src/token_issuer.ts).
    expect(merged("keys").vars.ISSUER).toBe("https://id.example.com")
    // The committed files keep their local placeholders: ids live only in the generated config.
    expect(readFileSync(path.join(repoRoot, "services/identity/wrangler.jsonc"), "utf8")).not.toContain(deployment.databases.DB?.id as string)
  })

  it("before the first setup, names every missing id, setting and secret", () => {
    const before = dryRun({ committed, deployment: placeholderDeployment("production"), deployDir, wrangler: wranglerIn(repoRoot), build: false, bundleDir: reuseBundles })
    expect(before.problems).toEqual(
      expect.arrayContaining([
        "authrim-edge: production setting ISSUER is not set (run npm run setup)",
        "authrim-keys: production setting ISSUER is not set (run npm run setup)",
        "authrim-identity: D1 binding DB has no database id in deploy/production.generated.json (run npm run setup)",
        "authrim-identity: production secret MFA_ENCRYPTION_KEY was not put by setup (run npm run setup)",
        "authrim-tokens: queue consumer of authrim-backchannel-logout has no dead-letter queue"
      ])
    )
  })
})

describe("deploy --dry-run — a broken binding in a temporary copy fails naming it", () => {
  const breaks = [
    {
      // The all-method KeysService entrypoint is gone (issue 13 §2): a config still naming it fails the dry run.
      service: "tokens",
      from: `"entrypoint": "KeysForTokens"`,
      to: `"entrypoint": "KeysService"`,
      problem: "authrim-tokens: service binding KEYS → authrim-keys has no exported entrypoint KeysService"
    },
    {
      service: "edge",
      from: `"binding": "TOKENS", "service": "authrim-tokens", "entrypoint": "TokensForEdge"`,
      to: `"binding": "TOKENS", "service": "authrim-tokens", "entrypoint": "TokenService"`,
      problem: "authrim-edge: service binding TOKENS → authrim-tokens has no exported entrypoint TokenService"
    },
    {
      service: "edge",
      from: `"service": "authrim-ratelimit"`,
      to: `"service": "authrim-rate-limit"`,
      problem: "authrim-edge: service binding RATELIMIT → worker authrim-rate-limit, which is not one of the deployed workers"
    },
    {
      service: "tokens",
      from: `{ "name": "DPOP_JTIS", "class_name": "DPoPJTIStore" }`,
      to: `{ "name": "DPOP_JTIS", "class_name": "DPoPJtiStore" }`,
      problem: "authrim-tokens: Durable Object binding DPOP_JTIS → class DPoPJtiStore, which authrim-tokens does not export"
    },
    {
      service: "tokens",
      from: `"queue": "authrim-backchannel-logout" }]`,
      to: `"queue": "authrim-backchannel-logouts" }]`,
      problem: "authrim-tokens: queue producer BACKCHANNEL_LOGOUT_QUEUE → queue authrim-backchannel-logouts, which no deployed worker consumes"
    }
  ]

  it.each(breaks)("$problem", ({ service, from, to, problem }) => {
    const copy = mkdtempSync(path.join(tmpdir(), "authrim-broken-"))
    try {
      for (const s of deployOrder) cpSync(path.join(repoRoot, "services", s, "wrangler.jsonc"), path.join(copy, "services", s, "wrangler.jsonc"))
      const file = path.join(copy, "services", service, "wrangler.jsonc")
      const source = readFileSync(file, "utf8")
      expect(source).toContain(from)
      writeFileSync(file, source.replace(from, to))
      const broken = dryRun({ committed: readCommittedWorkerConfigs(copy), deployment, deployDir: path.join(copy, "deploy"), wrangler: wranglerIn(repoRoot), build: false, bundleDir: reuseBundles })
      expect(broken.problems).toContain(problem)
      const lines: Array<string> = []
      expect(reportDryRun(broken, (line) => lines.push(line))).toBe(false)
      expect(lines).toContain(`error: ${problem}`)
    } finally {
      rmSync(copy, { recursive: true, force: true })
    }
  })
})

describe("npm run deploy — order and discovery (wrangler recorded, bundles reused)", () => {
  /** A wrangler whose dry-run builds copy this file's bundles and whose other calls are recorded and succeed. */
  const recordingWrangler = (calls: Array<ReadonlyArray<string>>): RunWrangler => (args) => {
    calls.push(args)
    if (args[0] === "deploy" && args.includes("--dry-run")) {
      const outdir = args[args.indexOf("--outdir") + 1] as string
      const service = path.basename(path.dirname(outdir))
      if (outdir !== reuseBundles(service)) cpSync(reuseBundles(service), outdir, { recursive: true })
    }
    return { status: 0, stdout: "", stderr: "" }
  }
  const discovery = async (url: string) => ({ issuer: url.replace("/.well-known/openid-configuration", ""), jwks_uri: "https://id.example.com/jwks" })
  /** The edge's deep health answer with every check of every backend as `ok` says. */
  const healthReport = (ok: (service: string, check: string) => boolean) => {
    const services = [["authrim-keys", ["do:KeyManager"]], ["authrim-identity", ["d1:DB", "r2:AUDIT_ARCHIVE"]]] as const
    const reported = services.map(([service, checks]) => {
      const results = checks.map((name) => (ok(service, name) ? { name, ok: true, ms: 3 } : { name, ok: false, ms: 2000, detail: "timed out after 2000 ms" }))
      return { service, ok: results.every((c) => c.ok), checks: results }
    })
    const allOk = reported.every((s) => s.ok)
    return { status: allOk ? 200 : 503, body: { status: allOk ? "ok" : "unhealthy", service: "authrim-edge", services: reported } }
  }
  const healthy: FetchHealth = async () => healthReport(() => true)

  it("checks offline, migrates D1 remotely, deploys backends before the edge, then reads the issuer's discovery", async () => {
    const calls: Array<ReadonlyArray<string>> = []
    const fetched: Array<string> = []
    const ok = await runDeploy({
      committed,
      deployment,
      dryRun: false,
      deployDir,
      wrangler: recordingWrangler(calls),
      log: () => {},
      fetchJson: async (url) => {
        fetched.push(url)
        return discovery(url)
      },
      fetchHealth: async (url, token) => {
        fetched.push(`${url} (Bearer ${token})`)
        return healthy(url, token)
      }
    })
    expect(ok).toBe(true)
    const real = calls.filter((args) => !args.includes("--dry-run"))
    expect(real.map((args) => (args[0] === "deploy" ? `deploy ${path.basename(path.dirname(args[2] as string))}` : args.slice(0, 5).join(" ")))).toEqual([
      "d1 migrations apply DB --remote",
      "d1 execute DB --remote -c",
      "kv key delete client:authrim-admin --binding",
      "deploy keys",
      "deploy ratelimit",
      "deploy session",
      "deploy identity",
      "deploy tokens",
      "deploy edge"
    ])
    // The HEALTH_TOKEN setup generated and kept in deploy/production.health-token.
    expect(fetched).toEqual(["https://id.example.com/.well-known/openid-configuration", `https://id.example.com/health?deep=1 (Bearer ${"x".repeat(43)})`])
  })

  it("--only edge deploys the edge alone (no migrations), still cross-checking every worker", async () => {
    const calls: Array<ReadonlyArray<string>> = []
    await runDeploy({ committed, deployment, only: ["edge"], dryRun: false, deployDir, wrangler: recordingWrangler(calls), log: () => {}, fetchJson: discovery, fetchHealth: healthy })
    expect(calls.filter((args) => args.includes("--dry-run"))).toHaveLength(6)
    expect(calls.filter((args) => !args.includes("--dry-run")).map((args) => args.slice(0, 2).join(" "))).toEqual(["deploy -c"])
  })

  it("fails when the deployed issuer's discovery names another issuer", async () => {
    const lines: Array<string> = []
    const ok = await runDeploy({
      committed,
      deployment,
      only: ["edge"],
      dryRun: false,
      deployDir,
      wrangler: recordingWrangler([]),
      log: (line) => lines.push(line),
      fetchJson: async () => ({ issuer: "https://elsewhere.example.com", jwks_uri: "x" }),
      discoveryAttempts: 1
    })
    expect(ok).toBe(false)
    expect(lines.at(-1)).toMatch(/discovery check failed.*elsewhere/)
  })

  it("prints the per-service health table after deploying and passes when every check is ok", async () => {
    const lines: Array<string> = []
    const ok = await runDeploy({ committed, deployment, only: ["edge"], dryRun: false, deployDir, wrangler: recordingWrangler([]), log: (line) => lines.push(line), fetchJson: discovery, fetchHealth: healthy })
    expect(ok).toBe(true)
    const table = lines.find((line) => line.startsWith("service"))
    expect(table).toMatch(/authrim-keys\s+do:KeyManager\s+ok\s+3 ms/)
    expect(table).toMatch(/authrim-identity\s+r2:AUDIT_ARCHIVE\s+ok/)
    expect(lines.at(-1)).toBe("health ok: https://id.example.com/health?deep=1 (2 services)")
  })

  it("fails the deploy naming the failing checks when the deep health check says 503", async () => {
    const lines: Array<string> = []
    const ok = await runDeploy({
      committed,
      deployment,
      only: ["edge"],
      dryRun: false,
      deployDir,
      wrangler: recordingWrangler([]),
      log: (line) => lines.push(line),
      fetchJson: discovery,
      fetchHealth: async () => healthReport((_service, check) => check !== "r2:AUDIT_ARCHIVE")
    })
    expect(ok).toBe(false)
    expect(lines.find((line) => line.startsWith("service"))).toMatch(/authrim-identity\s+r2:AUDIT_ARCHIVE\s+FAIL\s+2000 ms\s+timed out/)
    expect(lines.at(-1)).toBe("error: health check failed (HTTP 503): authrim-identity r2:AUDIT_ARCHIVE: timed out after 2000 ms")
  })

  it("fails when the edge refuses the token (its HEALTH_TOKEN differs), without retrying", async () => {
    const lines: Array<string> = []
    let calls = 0
    const ok = await runDeploy({
      committed,
      deployment,
      only: ["edge"],
      dryRun: false,
      deployDir,
      wrangler: recordingWrangler([]),
      log: (line) => lines.push(line),
      fetchJson: discovery,
      fetchHealth: async () => {
        calls++
        return { status: 401, body: { error: "invalid_token" } }
      }
    })
    expect(ok).toBe(false)
    expect(calls).toBe(1)
    expect(lines.at(-1)).toMatch(/health check failed.*HTTP 401.*refused the token/)
  })

  it("without a kept HEALTH_TOKEN, skips the deep check with a warning (discovery still decides)", async () => {
    const lines: Array<string> = []
    const bare = mkdtempSync(path.join(tmpdir(), "authrim-deploy-no-token-"))
    const ok = await runDeploy({
      committed,
      deployment,
      only: ["edge"],
      dryRun: false,
      deployDir: bare,
      wrangler: recordingWrangler([]),
      log: (line) => lines.push(line),
      fetchJson: discovery,
      fetchHealth: async () => {
        throw new Error("must not be called")
      }
    })
    rmSync(bare, { recursive: true, force: true })
    expect(ok).toBe(true)
    expect(lines.at(-1)).toMatch(/^warning: deep health check skipped: no .*production\.health-token/)
  })
})
