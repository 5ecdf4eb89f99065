/**
 * Least privilege inside the edge (issue 13 §2): the admin bindings (`IDENTITY_ADMIN`, `SESSION_ADMIN`,
 * `TOKENS_ADMIN`, `KEYS_ADMIN`) and the clients made from them (`adminBackends`) are read only by the
 * admin API (services/edge/src/admin) and the files that declare and build them. A sign-in page or a
 * token endpoint that reached for an admin client would fail here with the line that does it.
 */
import { readdirSync, readFileSync } from "node:fs"
import { join, relative } from "node:path"
import { describe, expect, it } from "vitest"

const root = join(import.meta.dirname, "..", "..")
const edgeSrc = join(root, "services", "edge", "src")

const tsFiles = (dir: string): Array<string> =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) return tsFiles(path)
    return entry.name.endsWith(".ts") ? [path] : []
  })

/** Where the admin clients are declared, built and handed out. */
const declaring = ["services/edge/src/env.ts", "services/edge/src/admin_backends.ts", "services/edge/src/edge_layer.ts"]
const adminUse = /\b(?:adminBackends|[A-Z]+_ADMIN)\b/

/** `file:line: text` of each use of an admin client or binding outside src/admin and the declaring files. */
const usesOutsideAdmin = (files: ReadonlyArray<{ readonly path: string; readonly text: string }>) =>
  files
    .filter((file) => !file.path.startsWith("services/edge/src/admin/") && !declaring.includes(file.path))
    .flatMap((file) => file.text.split("\n").flatMap((line, i) => adminUse.test(line) ? [`${file.path}:${i + 1}: ${line.trim()}`] : []))

describe("admin clients are the admin API's (issue 13 §2)", () => {
  const files = tsFiles(edgeSrc).map((path) => ({ path: relative(root, path), text: readFileSync(path, "utf8") }))

  it("only services/edge/src/admin reads adminBackends or an *_ADMIN binding", () => {
    expect(files.filter((f) => f.path.startsWith("services/edge/src/admin/") && adminUse.test(f.text)).length).toBeGreaterThan(5)
    expect(usesOutsideAdmin(files)).toEqual([])
  })

  it("names the line when a page outside the admin API reaches for an admin client", () => {
    const page = { path: "services/edge/src/routes/account.ts", text: "const { adminBackends } = yield* Edge\nyield* adminBackends.userAdmin.deleteUser(input)" }
    expect(usesOutsideAdmin([page])).toEqual([
      "services/edge/src/routes/account.ts:1: const { adminBackends } = yield* Edge",
      "services/edge/src/routes/account.ts:2: yield* adminBackends.userAdmin.deleteUser(input)"
    ])
  })
})
