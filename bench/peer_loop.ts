/**
 * Issue 10 §1: Authrim against peers on the same runtime. Starts the bare
 * Worker and the workers-oauth-provider Worker (bench/peers/) each under its
 * own `wrangler dev`, started like Authrim's, and runs per peer scenario
 * Authrim, then the peer (then, for api-call, the bare Worker), interleaved so
 * machine drift hits all alike, each in a fresh load process; every result
 * carries its workerd CPU ms per op.
 */
import path from "node:path"
import { freePort, repoRoot, startDev, type DevServer } from "../scripts/local_stack.ts"
import type { BenchOptions } from "./bench_options.ts"
import { userBudget } from "./bench_options.ts"
import { runLoadProcess } from "./load_process.ts"
import { PEER_SCENARIOS, type LoadResult, type LoadScenarioId, type LoadTargetId, type PeerComparison, type PeerScenarioId } from "./results.ts"

/** The peer Workers, each its own `wrangler dev`. */
export interface PeerServers {
  readonly peer: DevServer
  readonly bare: DevServer
}

/** Starts both peer Workers with their state (the peer's KV) under `stateDir`; `onStarted` gets each stop function at once. */
export const startPeers = async (stateDir: string, onStarted: (stop: () => Promise<void>) => void): Promise<PeerServers> => {
  const start = async (name: string) => {
    const server = await startDev({
      configs: [path.join(repoRoot, "bench/peers", name, "wrangler.jsonc")],
      persistDir: path.join(stateDir, name),
      port: await freePort()
    })
    onStarted(server.stop)
    return server
  }
  const peer = await start("workers-oauth-provider")
  const bare = await start("bare-worker")
  return { peer, bare }
}

/** Authrim runs its own scenario for each peer scenario: the API call is its /userinfo. */
const authrimScenario: Readonly<Record<PeerScenarioId, LoadScenarioId>> = { "api-call": "userinfo", refresh: "refresh", "remembered-consent": "remembered-consent", discovery: "discovery" }

const ratio = (a: number, b: number) => (b > 0 ? Math.round((a / b) * 100) / 100 : 0)

export const comparePeers = (authrim: LoadResult, peer: LoadResult, bare: LoadResult): PeerComparison => ({
  authrim,
  peer,
  bare,
  ratios: {
    vsPeer: {
      throughput: ratio(authrim.throughput, peer.throughput),
      p50: ratio(authrim.latencyMs.p50, peer.latencyMs.p50),
      p99: ratio(authrim.latencyMs.p99, peer.latencyMs.p99),
      cpuPerOp: authrim.workerdCpuMsPerOp !== undefined && peer.workerdCpuMsPerOp !== undefined ? ratio(authrim.workerdCpuMsPerOp, peer.workerdCpuMsPerOp) : null
    },
    vsBare: { throughput: ratio(authrim.throughput, bare.throughput) }
  }
})

export const runPeerScenarios = async (
  options: BenchOptions,
  authrim: DevServer,
  peers: PeerServers,
  runId: string
): Promise<Partial<Record<PeerScenarioId, PeerComparison>>> => {
  const { peerRanges } = userBudget(options)
  const run = async (label: string, target: LoadTargetId, server: DevServer, scenario: PeerScenarioId) => {
    process.stdout.write(`  ${scenario.padEnd(19)} ${label.padEnd(22)} … `)
    const result = await runLoadProcess(
      {
        target,
        baseUrl: server.url,
        scenario: target === "authrim" ? authrimScenario[scenario] : scenario,
        ops: options.peerOpCounts[scenario],
        concurrency: options.concurrency,
        timeCapSeconds: options.timeCapSeconds,
        warmupOps: options.peerWarmupOps[scenario],
        users: peerRanges[scenario],
        runId
      },
      server.process.pid
    )
    const cpu = result.workerdCpuMsPerOp === undefined ? "" : `, workerd ${result.workerdCpuMsPerOp} ms CPU/op`
    console.log(`${result.throughput} ops/s, p50 ${result.latencyMs.p50} ms${cpu}, ${result.errors} errors${result.stoppedBy === "time" ? " (time cap)" : ""}`)
    return result
  }
  const out: Partial<Record<PeerScenarioId, PeerComparison>> = {}
  let bare: LoadResult | undefined
  for (const scenario of PEER_SCENARIOS) {
    const a = await run("Authrim", "authrim", authrim, scenario)
    const p = await run("workers-oauth-provider", "workers-oauth-provider", peers.peer, scenario)
    // The bare Worker answers one request: measured once, in api-call, and the ceiling for every flow.
    bare ??= await run("bare Worker", "bare-worker", peers.bare, "api-call")
    out[scenario] = comparePeers(a, p, bare)
  }
  return out
}
