/**
 * Contract version skew on one RPC call (issue 13 §3). The caller sends its
 * contract's name and version in the call's meta; the server answers with its
 * own version in the result envelope (rpc.ts). A caller NEWER than the server
 * may rely on a method or field the server does not have yet — a deploy-order
 * problem (deploy the callee first), never a reason to fail the call: the
 * compatibility suite already proved the two versions talk. Each side logs it
 * once per isolate per (contract, caller version, server version), so a
 * rolling deploy writes a handful of lines, not one per request.
 *
 * An old caller (no version in meta) and an old server (no version in the
 * result) are simply not compared.
 */
import { Schema } from "effect"
import type { ContractVersion } from "./contract_version.ts"
import { writeLog } from "./log.ts"

/** The contract fields of a call's meta (the rest of it is the request, request_context.ts). */
const ContractMeta = Schema.Struct({ contract: Schema.String, version: Schema.Number })
const decodeContractMeta = Schema.decodeUnknownOption(ContractMeta)

/** The caller's contract name and version from a call's meta, or null when it sent none (an old caller) or a malformed one. */
export const contractMetaOf = (meta: unknown): ContractVersion | null => {
  if (meta === undefined || meta === null) return null
  const decoded = decodeContractMeta(meta)
  return decoded._tag === "Some" ? { name: decoded.value.contract, version: decoded.value.version } : null
}

const logged = new Set<string>()

/** Which end of the call noticed the skew: the caller (from the result) or the server (from the meta). */
export type SkewSide = "caller" | "server"

/**
 * Logs a warning when the caller's version of `contract` is newer than the
 * server's, once per isolate per side, contract and pair of versions. Returns
 * whether the versions are skewed that way (logged now or before).
 */
export const noteCallerNewer = (
  side: SkewSide,
  contract: string,
  callerVersion: number,
  serverVersion: number,
  requestId: string | null,
  method: string | null
): boolean => {
  if (!(callerVersion > serverVersion)) return false
  const key = `${side}\u0000${contract}\u0000${callerVersion}\u0000${serverVersion}`
  if (logged.has(key)) return true
  logged.add(key)
  writeLog("warn", "rpc", "contract version skew: caller newer than server (deploy the server first)", requestId, {
    side, contract, callerVersion, serverVersion, method
  })
  return true
}
