/**
 * The contract compatibility suite (issue 13 §3): the current contracts
 * against every snapshot committed in contracts/compat/ (each a release that
 * may still be deployed), with contracts/src/contract_compat.ts. Then proof it
 * can fail: the same check against modified copies of a real contract — one
 * per kind of breaking change — must report exactly that break.
 */
/// <reference types="vite/client" />
import { Effect, Schema } from "effect"
import { describe, expect, it } from "vitest"
import * as contracts from "../src/index.ts"
import { KeyInfo, NotFound, OAuthError, PublicJwk, rpcMethod, SigningAlg, Unavailable, type RpcContract } from "../src/index.ts"
import { checkCompatibility, formatViolations, type CompatViolation } from "../src/contract_compat.ts"
import { parseSnapshot, snapshotOf, versionedContractsOf, type CompatSnapshot } from "../src/contract_snapshot.ts"

// The snapshot files, read by Vite when it loads this module (the Workers runtime sees no repository files).
const files: Readonly<Record<string, string>> = import.meta.glob("../compat/*.json", { eager: true, query: "?raw", import: "default" })
const snapshots: ReadonlyArray<readonly [string, CompatSnapshot]> = Object.entries(files)
  .sort(([a], [b]) => a < b ? -1 : 1)
  .map(([path, text]) => [path.slice(path.lastIndexOf("/") + 1), parseSnapshot(text)] as const)

const current = versionedContractsOf(contracts)

describe("contract compatibility with the committed snapshots (issue 13 §3)", () => {
  it("has at least one snapshot, and every snapshot is labelled as its file is named", () => {
    expect(snapshots.length).toBeGreaterThan(0)
    for (const [file, snapshot] of snapshots) expect(`${snapshot.label}.json`).toBe(file)
  })

  for (const [, snapshot] of snapshots) {
    it(`the current contracts still speak ${snapshot.label}: methods kept, versions up, old inputs decode, new outputs read by the old`, async () => {
      const violations = await Effect.runPromise(checkCompatibility(snapshot, current))
      expect(formatViolations(snapshot.label, violations)).toBe("")
    }, 120_000)
  }
})

const KeysFailure = Schema.Union([Unavailable, OAuthError])
const signInput = { alg: SigningAlg, typ: Schema.optional(Schema.String), payload: Schema.Record(Schema.String, Schema.Unknown) }
const signOutput = { jwt: Schema.String, kid: Schema.String }

/**
 * The meta-tests' subject: the keys contract as it was before issue 13 split it (getJwks, sign, listKeys,
 * rotate) — a fixed, realistic contract the copies below break one rule at a time. Not registered: the
 * check is given its name and version explicitly.
 */
const KeysContract = {
  getJwks: rpcMethod(Schema.Struct({}), Schema.Struct({ keys: Schema.Array(PublicJwk) }), KeysFailure),
  sign: rpcMethod(Schema.Struct(signInput), Schema.Struct(signOutput), KeysFailure),
  listKeys: rpcMethod(Schema.Struct({}), Schema.Struct({ keys: Schema.Array(KeyInfo) }), KeysFailure),
  rotate: rpcMethod(Schema.Struct({ force: Schema.Boolean, actorId: Schema.optional(Schema.String) }), Schema.Struct({ keys: Schema.Array(KeyInfo) }), KeysFailure)
} as const
const KeysContractVersion = { name: "keys", version: 1 }

/** The rules `contract` breaks against a snapshot of KeysContract, as the versions say. */
const breaks = async (contract: RpcContract, version = KeysContractVersion.version): Promise<ReadonlyArray<CompatViolation>> => {
  const before = snapshotOf("before", [{ contract: KeysContract, version: KeysContractVersion }])
  // A copy with the real contract's name: the check matches contracts by name, not by object.
  return Effect.runPromise(checkCompatibility(before, [{ contract, version: { name: KeysContractVersion.name, version } }]))
}
const rulesOf = (violations: ReadonlyArray<CompatViolation>) => violations.map((v) => `${v.method ?? "*"}: ${v.rule}`)

describe("the suite fails on breaking changes (meta-tests on copies of KeysContract)", () => {
  it("passes the contract against its own snapshot (no false alarm)", async () => {
    expect(rulesOf(await breaks(KeysContract))).toEqual([])
  })

  it("passes an additive change with a version bump: an optional input field, an added success field, a new method", async () => {
    const additive = {
      ...KeysContract,
      sign: rpcMethod(Schema.Struct({ ...signInput, audience: Schema.optional(Schema.String) }), Schema.Struct({ ...signOutput, expiresAt: Schema.Number }), KeysFailure),
      ping: rpcMethod(Schema.Struct({}), Schema.Struct({}), KeysFailure)
    }
    expect(rulesOf(await breaks(additive, KeysContractVersion.version + 1))).toEqual([])
  })

  it("fails when a required input field is added (an old caller does not send it)", async () => {
    const broken = { ...KeysContract, sign: rpcMethod(Schema.Struct({ ...signInput, audience: Schema.String }), Schema.Struct(signOutput), KeysFailure) }
    expect(rulesOf(await breaks(broken, KeysContractVersion.version + 1))).toEqual(["sign: old-input-rejected"])
  })

  it("fails when a success field is removed (an old caller still reads it)", async () => {
    const broken = { ...KeysContract, sign: rpcMethod(Schema.Struct(signInput), Schema.Struct({ jwt: Schema.String }), KeysFailure) }
    expect(rulesOf(await breaks(broken, KeysContractVersion.version + 1))).toEqual(["sign: new-success-unreadable"])
  })

  it("fails when an input literal is narrowed (an old caller still sends ES256)", async () => {
    const broken = { ...KeysContract, sign: rpcMethod(Schema.Struct({ ...signInput, alg: Schema.Literals(["RS256"]) }), Schema.Struct(signOutput), KeysFailure) }
    expect(rulesOf(await breaks(broken, KeysContractVersion.version + 1))).toEqual(["sign: old-input-rejected"])
  })

  it("fails when an output literal is widened (an old caller cannot read the new value)", async () => {
    const broken = { ...KeysContract, sign: rpcMethod(Schema.Struct(signInput), Schema.Struct({ ...signOutput, alg: Schema.Literals(["RS256", "ES256", "EdDSA"]) }), KeysFailure) }
    const before = { ...KeysContract, sign: rpcMethod(Schema.Struct(signInput), Schema.Struct({ ...signOutput, alg: SigningAlg }), KeysFailure) }
    const snapshot = snapshotOf("before", [{ contract: before, version: KeysContractVersion }])
    const violations = await Effect.runPromise(checkCompatibility(snapshot, [{ contract: broken, version: { name: "keys", version: 2 } }]))
    expect(rulesOf(violations)).toEqual(["sign: new-success-unreadable"])
  })

  it("fails when an error is added to a method's failures (an old caller cannot decode it)", async () => {
    const broken = { ...KeysContract, sign: rpcMethod(Schema.Struct(signInput), Schema.Struct(signOutput), Schema.Union([Unavailable, OAuthError, NotFound])) }
    expect(rulesOf(await breaks(broken, KeysContractVersion.version + 1))).toEqual(["sign: new-failure-unreadable"])
  })

  it("fails when a method is removed (an old caller still calls it)", async () => {
    const { listKeys: _removed, ...broken } = KeysContract
    expect(rulesOf(await breaks(broken, KeysContractVersion.version + 1))).toEqual(["listKeys: method-removed"])
  })

  it("fails when a schema changed without a version bump, even additively (a newer caller could not tell it is talking to an older server)", async () => {
    const unbumped = { ...KeysContract, sign: rpcMethod(Schema.Struct({ ...signInput, audience: Schema.optional(Schema.String) }), Schema.Struct(signOutput), KeysFailure) }
    const violations = await breaks(unbumped)
    expect(rulesOf(violations)).toEqual(["*: changed-without-version-bump"])
    expect(violations[0]?.detail).toContain("sign (input)")
  })

  it("fails when the version goes down", async () => {
    const snapshot = snapshotOf("before", [{ contract: KeysContract, version: { name: "keys", version: 3 } }])
    const violations = await Effect.runPromise(checkCompatibility(snapshot, [{ contract: KeysContract, version: { name: "keys", version: 2 } }]))
    expect(rulesOf(violations)).toEqual(["*: version-decreased"])
  })

  it("fails when a contract of the snapshot is gone (renamed or deleted): each of its methods is removed", async () => {
    const before = snapshotOf("before", [{ contract: KeysContract, version: KeysContractVersion }])
    const violations = await Effect.runPromise(checkCompatibility(before, []))
    expect(rulesOf(violations)).toEqual(Object.keys(KeysContract).sort().map((m) => `${m}: method-removed`))
  })

  it("ignores a changed description (annotations are not the wire)", async () => {
    const described = { ...KeysContract, listKeys: rpcMethod(Schema.Struct({}).annotate({ description: "no input" }), KeysContract.listKeys.success, KeysFailure) }
    expect(rulesOf(await breaks(described))).toEqual([])
  })
})
