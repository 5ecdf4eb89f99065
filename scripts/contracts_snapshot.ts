/**
 * `npm run contracts:snapshot -- [label]`: writes `contracts/compat/<label>.json`
 * (default label `current`), the snapshot of every contract exported from
 * contracts/src/index.ts — name, version and each method's wire schemas
 * (contracts/src/contract_snapshot.ts). Commit it when a release goes out: the
 * compatibility suite (contracts/test/compat.test.ts) then holds every
 * later contract to what that release speaks. contracts/README.md says when.
 */
import { mkdirSync, writeFileSync } from "node:fs"
import path from "node:path"
import { formatSnapshot, snapshotOf, versionedContractsOf } from "../contracts/src/contract_snapshot.ts"

const label = process.argv[2] ?? "current"
if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(label)) {
  console.error(`contracts:snapshot: label must be letters, digits, '.', '_' or '-' (a release tag or date), got ${JSON.stringify(label)}`)
  process.exit(2)
}
const dir = path.resolve(import.meta.dirname, "../contracts/compat")
const file = path.join(dir, `${label}.json`)
// Loaded by URL: a static import would type-check all of contracts/src (Workers types) with the scripts' Node types.
const contracts: unknown = await import(new URL("../contracts/src/index.ts", import.meta.url).href)
if (typeof contracts !== "object" || contracts === null) throw new Error("contracts/src/index.ts did not load as a module")
const snapshot = snapshotOf(label, versionedContractsOf(contracts))
mkdirSync(dir, { recursive: true })
writeFileSync(file, formatSnapshot(snapshot))
console.log(`wrote ${path.relative(process.cwd(), file)}: ${snapshot.contracts.length} contracts, ${snapshot.contracts.reduce((n, c) => n + Object.keys(c.methods).length, 0)} methods`)
