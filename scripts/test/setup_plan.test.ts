/**
 * `npm run setup` against recorded `wrangler … list` outputs (Cloudflare is
 * unreachable from CI): present / absent resources → the exact commands, and
 * a second run against the account the first one made changes nothing.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import path from "node:path"
import { afterEach, describe, expect, it } from "vitest"
import { readHealthToken } from "../deploy/health_token_file.ts"
import { deploymentConfigPath, readDeploymentConfig } from "../deploy/deployment_config.ts"
import {
  isMissingWorker,
  parseBucketList,
  parseDatabaseList,
  parseNamespaceList,
  parseQueueList,
  parseSecretList,
  type ExistingResources
} from "../deploy/existing_resources.ts"
import type { Ask } from "../deploy/operator_answers.ts"
import { desiredResources } from "../deploy/resource_catalog.ts"
import { runSetup, type SetupRun } from "../deploy/run_setup.ts"
import { planSetup, type WranglerCommand } from "../deploy/setup_plan.ts"
import { FakeCloudflareAccount, fixture } from "./support/fake_cloudflare_account.ts"

const committedWorkers = ["authrim-keys", "authrim-ratelimit", "authrim-session", "authrim-identity", "authrim-tokens", "authrim-edge"]

const recordedAccount = (variant: "empty" | "partial"): ExistingResources => ({
  databases: parseDatabaseList(fixture(`d1-list.${variant}.json`)),
  namespaces: parseNamespaceList(fixture(`kv-namespace-list.${variant}.json`)),
  buckets: parseBucketList(fixture(`r2-bucket-list.${variant}.txt`)),
  queues: parseQueueList(fixture(`queues-list.${variant}.txt`)),
  secrets:
    variant === "empty"
      ? new Map()
      : new Map([
          ["authrim-identity", parseSecretList(fixture("secret-list.authrim-identity.json"))],
          ["authrim-tokens", parseSecretList(fixture("secret-list.authrim-tokens.json"))]
        ])
})

const commandLines = (commands: ReadonlyArray<WranglerCommand>) => commands.map((c) => c.args.join(" "))

describe("setup planner — recorded wrangler list outputs", () => {
  it("reads ids by name from each list format and ignores other projects' resources", () => {
    const account = recordedAccount("partial")
    expect([...account.databases]).toEqual([
      ["authrim-production", "5e7c1a9d-3b42-4f0e-9d8a-2c6b1f4e7a90"],
      ["marketing-site", "0b8f2d6e-91c4-4a37-b5e2-7d3a9c1f8e45"]
    ])
    expect(account.namespaces.get("authrim-production-state-store")).toBe("a4d83e1b7c2f4e59906b2d8c1e7f3a65")
    expect([...account.buckets]).toEqual(["authrim-production-avatars", "marketing-site-assets"])
    expect([...account.queues.keys()]).toEqual(["authrim-production-backchannel-logout", "marketing-site-signups"])
    expect(isMissingWorker(fixture("secret-list.missing-worker.stderr.txt"))).toBe(true)
  })

  it("an empty account → creates every resource, each queue with its dead-letter queue, and every random secret", () => {
    const plan = planSetup("production", desiredResources("production"), recordedAccount("empty"))
    expect(commandLines(plan.commands)).toEqual([
      "d1 create authrim-production",
      "kv namespace create authrim-production-clients",
      "kv namespace create authrim-production-initial-access-tokens",
      "kv namespace create authrim-production-settings",
      "kv namespace create authrim-production-state-store",
      "kv namespace create authrim-production-nonce-store",
      "r2 bucket create authrim-production-avatars",
      "r2 bucket create authrim-production-audit-archive",
      "queues create authrim-production-audit",
      "queues create authrim-production-audit-dlq",
      "queues create authrim-production-backchannel-logout",
      "queues create authrim-production-backchannel-logout-dlq",
      "secret put MFA_ENCRYPTION_KEY --name authrim-identity",
      "secret put DPOP_NONCE_SECRET --name authrim-tokens",
      "secret put AUTHORIZATION_CODE_KEY --name authrim-tokens",
      "secret put REFRESH_SUCCESSOR_SECRET --name authrim-tokens",
      "secret put PAIRWISE_SUBJECT_SECRET --name authrim-tokens",
      "secret put TRANSACTION_SEAL_SECRET --name authrim-edge",
      "secret put DEVICE_COOKIE_SECRET --name authrim-edge",
      "secret put HEALTH_TOKEN --name authrim-edge"
    ])
    expect(plan.existing).toEqual([])
  })

  it("a partly set-up account → creates only what is missing and never replaces an existing secret", () => {
    const plan = planSetup("production", desiredResources("production"), recordedAccount("partial"))
    expect(commandLines(plan.commands)).toEqual([
      "kv namespace create authrim-production-initial-access-tokens",
      "kv namespace create authrim-production-settings",
      "kv namespace create authrim-production-nonce-store",
      "r2 bucket create authrim-production-audit-archive",
      "queues create authrim-production-audit",
      "queues create authrim-production-audit-dlq",
      "queues create authrim-production-backchannel-logout-dlq",
      "secret put DPOP_NONCE_SECRET --name authrim-tokens",
      "secret put AUTHORIZATION_CODE_KEY --name authrim-tokens",
      "secret put REFRESH_SUCCESSOR_SECRET --name authrim-tokens",
      "secret put PAIRWISE_SUBJECT_SECRET --name authrim-tokens",
      "secret put TRANSACTION_SEAL_SECRET --name authrim-edge",
      "secret put DEVICE_COOKIE_SECRET --name authrim-edge",
      "secret put HEALTH_TOKEN --name authrim-edge"
    ])
    expect(plan.existing).toEqual([
      "D1 database authrim-production (5e7c1a9d-3b42-4f0e-9d8a-2c6b1f4e7a90)",
      "KV namespace authrim-production-clients (0f2b9c7e4d1a48e6b3c5a7d9e1f20384) for CLIENTS",
      "KV namespace authrim-production-state-store (a4d83e1b7c2f4e59906b2d8c1e7f3a65) for STATE_STORE",
      "R2 bucket authrim-production-avatars for AVATARS",
      "queue authrim-production-backchannel-logout",
      "secret MFA_ENCRYPTION_KEY of authrim-identity"
    ])
  })

  it("another environment gets its own names, workers included", () => {
    const plan = planSetup("staging", desiredResources("staging"), recordedAccount("partial"))
    const lines = commandLines(plan.commands)
    expect(lines[0]).toBe("d1 create authrim-staging")
    expect(lines).toContain("secret put MFA_ENCRYPTION_KEY --name authrim-identity-staging")
    expect(plan.existing).toEqual([])
  })
})

describe("npm run setup — against a fake account", () => {
  const dirs: Array<string> = []
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
  })

  const noQuestions: Ask = async (question) => {
    throw new Error(`unexpected question: ${question}`)
  }
  const setupRun = (account: FakeCloudflareAccount, overrides: Partial<SetupRun> = {}): SetupRun => {
    const deployDir = overrides.deployDir ?? mkdtempSync(path.join(tmpdir(), "authrim-setup-"))
    dirs.push(deployDir)
    let n = 0
    return {
      env: "production",
      yes: true,
      reset: false,
      flags: { issuer: "https://id.example.com", emailFrom: "Example <no-reply@example.com>", webauthnRpId: "example.com" },
      committedWorkers,
      deployDir,
      wrangler: account.wrangler,
      ask: noQuestions,
      log: () => {},
      randomSecret: () => `random-secret-${++n}`.padEnd(43, "x"),
      ...overrides
    }
  }

  it("creates everything, writes the ids into the generated config, and a second run changes nothing", async () => {
    const account = new FakeCloudflareAccount()
    const first = setupRun(account)
    const outcome = await runSetup(first)
    expect(outcome.created).toHaveLength(20)
    const config = readDeploymentConfig(first.deployDir, "production")
    expect(config?.databases.DB).toEqual({ name: "authrim-production", id: account.databases.get("authrim-production") })
    expect(config?.namespaces.NONCE_STORE?.id).toBe(account.namespaces.get("authrim-production-nonce-store"))
    expect(config?.queues["authrim-backchannel-logout"]).toEqual({ name: "authrim-production-backchannel-logout", deadLetterName: "authrim-production-backchannel-logout-dlq" })
    expect(config?.secrets["authrim-edge"]).toEqual(["DEVICE_COOKIE_SECRET", "HEALTH_TOKEN", "TRANSACTION_SEAL_SECRET"])
    // The deep health check's token is kept for npm run deploy beside the config (not in it), equal to the secret put.
    const healthToken = readHealthToken(first.deployDir, "production")
    expect(healthToken).toBe(account.workers.get("authrim-edge")?.get("HEALTH_TOKEN"))
    expect(healthToken).toMatch(/^random-secret-/)
    expect(config?.settings).toMatchObject({ issuer: "https://id.example.com", webauthnRpId: "example.com", emailTransport: "send_email", webauthnRpName: "Authrim" })
    // Secret values go to stdin only: never in the arguments, never in the generated config.
    const puts = account.changes.filter((c) => c.args[0] === "secret")
    expect(puts.every((c) => c.input !== undefined && !c.args.includes(c.input))).toBe(true)
    expect(readFileSync(deploymentConfigPath(first.deployDir, "production"), "utf8")).not.toContain("random-secret")
    const bytes = readFileSync(outcome.configFile, "utf8")

    const changesBefore = account.changes.length
    const second = await runSetup({ ...setupRun(account, { deployDir: first.deployDir }), flags: {}, yes: false })
    expect(second.created).toEqual([])
    expect(second.existing).toHaveLength(20)
    expect(account.changes.length).toBe(changesBefore)
    expect(readFileSync(outcome.configFile, "utf8")).toBe(bytes)
    expect(account.workers.get("authrim-identity")?.get("MFA_ENCRYPTION_KEY")).toBe(puts[0]?.input)
  })

  it("reads every page of a paged queue list: an account with many queues is not set up twice", async () => {
    const account = new FakeCloudflareAccount()
    account.queuePageSize = 2
    for (let i = 0; i < 5; i++) account.queues.set(`other-project-${i}`, `other-${i}`.padEnd(32, "0"))
    const first = setupRun(account)
    await runSetup(first)
    expect(account.queues.size).toBe(9)
    const queueCreations = account.changes.filter((c) => c.args[0] === "queues")
    expect(queueCreations).toHaveLength(4)
    const changesBefore = account.changes.length
    const second = await runSetup({ ...setupRun(account, { deployDir: first.deployDir }), flags: {}, yes: false })
    expect(second.created).toEqual([])
    expect(account.changes.length).toBe(changesBefore)
    // pages 1…5 hold the 9 queues; page 6 is empty and ends the listing
    expect(account.calls.filter((c) => c.args[0] === "queues" && c.args[1] === "list").at(-1)?.args).toEqual(["queues", "list", "--page", "6"])
  })

  it("asks for the issuer, the email sender and the WebAuthn RP id when no flag gives them", async () => {
    const asked: Array<string> = []
    const answers = ["https://login.example.org/", "Login <login@example.org>", ""]
    const ask: Ask = async (question, suggestion) => {
      asked.push(question)
      const answer = answers.shift() as string
      return answer === "" ? (suggestion ?? "") : answer
    }
    const run = setupRun(new FakeCloudflareAccount(), { flags: {}, ask })
    await runSetup(run)
    expect(asked).toHaveLength(3)
    expect(readDeploymentConfig(run.deployDir, "production")?.settings).toMatchObject({
      issuer: "https://login.example.org",
      emailFrom: "Login <login@example.org>",
      webauthnRpId: "login.example.org"
    })
  })

  it("the http email transport: its URL is a var, its API key a secret asked from the operator (never generated)", async () => {
    const account = new FakeCloudflareAccount()
    const asked: Array<string> = []
    const run = setupRun(account, {
      flags: { issuer: "https://id.example.com", emailFrom: "Example <no-reply@example.com>", webauthnRpId: "example.com", emailTransport: "http", emailHttpUrl: "https://mail.example.net/send" },
      ask: async (question) => {
        asked.push(question)
        return "operator-api-key"
      }
    })
    const outcome = await runSetup(run)
    expect(outcome.created.at(-1)).toBe("wrangler secret put EMAIL_HTTP_API_KEY --name authrim-identity  (your value on stdin)")
    expect(asked).toEqual(["Value of EMAIL_HTTP_API_KEY for authrim-identity (or set it in the environment)"])
    expect(account.workers.get("authrim-identity")?.get("EMAIL_HTTP_API_KEY")).toBe("operator-api-key")
    expect(readDeploymentConfig(run.deployDir, "production")?.secrets["authrim-identity"]).toEqual(["EMAIL_HTTP_API_KEY", "MFA_ENCRYPTION_KEY"])
  })

  it("refuses settings production cannot use, before touching the account", async () => {
    const account = new FakeCloudflareAccount()
    await expect(runSetup(setupRun(account, { flags: { issuer: "http://id.example.com", emailFrom: "a@b", webauthnRpId: "other.org" } }))).rejects.toThrow(/issuer must be https[\s\S]*RP id other.org/)
    expect(account.calls).toEqual([])
  })

  it("without --yes, a declined confirmation creates nothing", async () => {
    const account = new FakeCloudflareAccount()
    await expect(runSetup(setupRun(account, { yes: false, ask: async () => "n" }))).rejects.toThrow(/declined/)
    expect(account.changes).toEqual([])
  })

  it("--reset deletes only after the environment name is typed back, then sets up afresh", async () => {
    const account = new FakeCloudflareAccount()
    const first = setupRun(account)
    await runSetup(first)
    const oldDb = account.databases.get("authrim-production")
    // As after a deploy: workers without secrets exist too.
    for (const worker of committedWorkers) if (!account.workers.has(worker)) account.workers.set(worker, new Map())

    await expect(runSetup({ ...setupRun(account, { deployDir: first.deployDir }), reset: true, ask: async () => "prod" })).rejects.toThrow(/nothing was deleted/)
    expect(account.databases.get("authrim-production")).toBe(oldDb)

    const changesBefore = account.changes.length
    await runSetup({ ...setupRun(account, { deployDir: first.deployDir }), reset: true, ask: async () => "production" })
    const deletions = account.changes.slice(changesBefore).filter((c) => c.args.includes("delete"))
    expect(deletions.map((c) => c.args.slice(0, 2).join(" "))).toEqual([
      ...[...committedWorkers].reverse().map((worker) => `delete ${worker}`),
      "queues delete",
      "queues delete",
      "queues delete",
      "queues delete",
      "r2 bucket",
      "r2 bucket",
      ...Array(5).fill("kv namespace"),
      "d1 delete"
    ])
    expect(account.databases.get("authrim-production")).not.toBe(oldDb)
    expect(readDeploymentConfig(first.deployDir, "production")?.databases.DB?.id).toBe(account.databases.get("authrim-production"))
  })
})
