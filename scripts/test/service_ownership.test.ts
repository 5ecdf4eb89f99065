/**
 * Issue 13 §3: every service has an owner in .github/CODEOWNERS and an "Ownership" section in its README
 * that says how it deploys alone; the shared contracts are reviewed by every service's team. A service
 * added without an owner, or a README that names a deploy target `deploy --only` refuses, fails here.
 */
import { readdirSync, readFileSync, statSync } from "node:fs"
import path from "node:path"
import { describe, expect, it } from "vitest"
import { deployOptions } from "../deploy/cli_options.ts"
import { deployOrder } from "../deploy/deployment_names.ts"

const repoRoot = path.resolve(import.meta.dirname, "../..")
const services = readdirSync(path.join(repoRoot, "services")).filter((name) => statSync(path.join(repoRoot, "services", name)).isDirectory())

/** CODEOWNERS rules as [pattern, owners] (comments and blank lines dropped). */
const rules = readFileSync(path.join(repoRoot, ".github/CODEOWNERS"), "utf8").split("\n")
  .map((line) => line.replace(/#.*/, "").trim()).filter((line) => line !== "")
  .map((line) => { const [pattern, ...owners] = line.split(/\s+/); return [pattern!, owners] as const })

/** The owners of `file` (repo-relative): the last matching directory rule, GitHub's precedence. */
const ownersOf = (file: string): ReadonlyArray<string> => {
  let owners: ReadonlyArray<string> = []
  for (const [pattern, who] of rules) {
    if (pattern === "*" || (pattern.endsWith("/") && `/${file}`.startsWith(pattern))) owners = who
  }
  return owners
}

describe("service ownership (CODEOWNERS, READMEs, deploy alone)", () => {
  it("every service directory is a deploy target, and every deploy target is a directory", () => {
    expect([...services].sort()).toEqual([...deployOrder].sort())
  })

  it.each(services)("%s has its own team in CODEOWNERS and an Ownership section that deploys it alone", (service) => {
    expect(ownersOf(`services/${service}/src/index.ts`)).toEqual([`@authrim/${service}-team`])
    const readme = readFileSync(path.join(repoRoot, "services", service, "README.md"), "utf8")
    const section = readme.slice(readme.indexOf("## Ownership"))
    expect(readme).toContain("## Ownership")
    expect(section).toContain(`@authrim/${service}-team`)
    const only = /npm run deploy -- --only ([a-z,]+)/.exec(section)?.[1]
    expect(only).toBe(service)
    expect(deployOptions(["--only", only!]).only).toEqual([service])
  })

  it("the contracts are reviewed by every service's team; migrations by the D1 owners", () => {
    expect([...ownersOf("contracts/src/session.ts")].sort()).toEqual(services.map((s) => `@authrim/${s}-team`).sort())
    const d1Owners = services.filter((s) => readFileSync(path.join(repoRoot, "services", s, "wrangler.jsonc"), "utf8").includes("d1_databases"))
    expect([...ownersOf("migrations/0001_initial_schema.sql")].sort()).toEqual(d1Owners.map((s) => `@authrim/${s}-team`).sort())
    expect(ownersOf("scripts/deploy.ts")).toEqual(["@authrim/platform-team"])
    // Regenerating a compatibility snapshot accepts a breaking change (contracts/README.md): the platform team reviews it.
    expect(ownersOf("contracts/compat/current.json")).toEqual(["@authrim/platform-team"])
  })
})
