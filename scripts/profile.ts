/**
 * `npm run profile [-- --sign-ins N]`: a per-hop CPU profile of the full sign-in
 * (issue 10 §1). Starts the same `wrangler dev` as the bench (fresh state, the
 * cost meter OFF — the profile is what production runs), warms it up, then for
 * each of the six workers in turn takes a V8 CPU profile of its isolate through
 * workerd's inspector (one inspector session at a time: workerd leaves a second
 * one unanswered) while N sequential sign-ins run, and prints per worker the
 * JavaScript self time per sign-in, the top frames and files by self time
 * (mapped back to the sources), next to workerd's own CPU clock (/proc) over the
 * same sign-ins. Writes bench/results/profile-<date>.md.
 */
import { mkdirSync, rmSync, writeFileSync } from "node:fs"
import path from "node:path"
import { authrimBenchVars } from "../bench/authrim_vars.ts"
import { benchSeedFile, benchUserEmail } from "../bench/bench_seed.ts"
import { httpSession } from "../bench/load/http_session.ts"
import { emptyCostSum } from "../bench/load/cost_sum.ts"
import { signIn } from "../bench/load/sign_in.ts"
import { discoverTarget } from "../bench/load/target.ts"
import { openCpuProfiler } from "../bench/profile/cpu_profiler.ts"
import { bundleMapper, selfTimes, type SelfTimes } from "../bench/profile/self_time.ts"
import { localDate } from "../bench/results_file.ts"
import { findWorkerdInspector } from "../bench/scale/workerd_inspector.ts"
import { workerdCpuMs } from "../bench/workerd_cpu.ts"
import { freePort, migrate, repoRoot, seed, startDev, workerConfigs } from "./local_stack.ts"

const argValue = (name: string) => {
  const i = process.argv.indexOf(`--${name}`)
  return i >= 0 ? process.argv[i + 1] : undefined
}
const SIGN_INS = Number(argValue("sign-ins") ?? 20)
const WARMUP = 10
const SAMPLING_US = 100
const TOP = 12
const WORKERS = ["authrim-edge", "authrim-identity", "authrim-session", "authrim-tokens", "authrim-keys", "authrim-ratelimit"] as const

const startedAt = new Date()
const runDir = path.join(repoRoot, "bench/tmp", `profile-${startedAt.toISOString().replace(/[:.]/g, "-")}`)
const persistDir = path.join(runDir, "state")
mkdirSync(runDir, { recursive: true })

const users = WARMUP + SIGN_INS * (WORKERS.length + 1) + 200
console.log(`• migrating and seeding ${users} users…`)
migrate(persistDir)
await seed(benchSeedFile(users), persistDir)
const port = await freePort()
const issuer = `http://127.0.0.1:${port}`
const authrim = await startDev({ configs: workerConfigs, persistDir, port, vars: { ...authrimBenchVars(issuer), COST_METER_HEADER: "false" } })
try {
  const target = await discoverTarget("authrim", authrim.url)
  let next = 0
  const oneSignIn = () => signIn(httpSession(emptyCostSum()), target, benchUserEmail(next++)).then(() => undefined)
  console.log(`• warming up with ${WARMUP} sign-ins…`)
  for (let i = 0; i < WARMUP; i++) await oneSignIn()
  const inspector = await findWorkerdInspector(authrim.process.pid!)
  const report: Array<{ worker: string; times: SelfTimes; wallMs: number; workerdMs: number }> = []
  for (const worker of WORKERS) {
    process.stdout.write(`• ${worker}: profiling ${SIGN_INS} sign-ins… `)
    let poking = false
    // A command reaches V8 only while the isolate runs: a sign-in touches every worker.
    const poke = async () => {
      if (poking) return
      poking = true
      try { await oneSignIn() } finally { poking = false }
    }
    const profiler = await openCpuProfiler(inspector, worker, SAMPLING_US, poke)
    await profiler.start()
    const cpu0 = workerdCpuMs(authrim.process.pid!) ?? 0
    const t0 = performance.now()
    for (let i = 0; i < SIGN_INS; i++) await oneSignIn()
    const wallMs = performance.now() - t0
    const workerdMs = (workerdCpuMs(authrim.process.pid!) ?? 0) - cpu0
    const profile = await profiler.stop()
    await profiler.close()
    const times = selfTimes(profile, bundleMapper(path.join(persistDir, "development-config"), worker.replace("authrim-", "")))
    report.push({ worker, times, wallMs, workerdMs })
    console.log(`JS ${(times.jsMs / SIGN_INS).toFixed(2)} ms + GC ${(times.gcMs / SIGN_INS).toFixed(2)} ms per sign-in, runtime ${(times.outsideMs / SIGN_INS).toFixed(2)} ms (${profile.samples.length} samples, median gap ${times.medianDeltaUs} µs, over ${((profile.endTime - profile.startTime) / 1000).toFixed(0)} ms, wall ${wallMs.toFixed(0)} ms, workerd clock ${workerdMs.toFixed(0)} ms)`)
  }
  const md = formatReport(report)
  console.log("\n" + md)
  const file = path.join(repoRoot, "bench/results", `profile-${localDate(startedAt)}.md`)
  writeFileSync(file, md + "\n")
  console.log(`wrote ${path.relative(repoRoot, file)}`)
} finally {
  await authrim.stop()
}
rmSync(runDir, { recursive: true, force: true })

function formatReport(rows: ReadonlyArray<{ worker: string; times: SelfTimes; wallMs: number; workerdMs: number }>): string {
  const per = (ms: number) => (ms / SIGN_INS).toFixed(2)
  const total = rows.reduce((sum, r) => sum + r.times.jsMs + r.times.gcMs, 0)
  const workerd = rows.reduce((sum, r) => sum + r.workerdMs, 0) / rows.length
  const lines = [
    `## Per-hop CPU profile of one sign-in (${localDate(startedAt)}, \`npm run profile\`)`,
    "",
    `${SIGN_INS} sequential full sign-ins (authorize → login → consent → code → token → userinfo) per worker, V8 sampling every ${SAMPLING_US} µs,`,
    "cost meter off. \"JS\" is the isolate's own JavaScript self time (+ GC) per sign-in; \"workerd\" is the CPU clock (/proc) of",
    "all workerd processes over the same sign-ins — JS of all six workers, plus the runtime's C++ (HTTP, RPC serialisation,",
    "SQLite, WebCrypto such as the password's PBKDF2, the wrangler proxy). \"runtime\" = samples of the isolate outside JavaScript.",
    "Each sample counts the median gap between samples: V8 samples an isolate only while it runs (all six share one thread).",
    "The workerd clock also holds what production does not bill to these workers: the wrangler dev proxy, miniflare's own",
    "workers (local D1, the entry router) and the profiler's sampling itself.",
    "",
    "| worker | JS ms / sign-in | GC ms / sign-in | runtime ms / sign-in | JS+GC share of the six |",
    "|---|---:|---:|---:|---:|",
    ...rows.map((r) => `| ${r.worker} | ${per(r.times.jsMs)} | ${per(r.times.gcMs)} | ${per(r.times.outsideMs)} | ${(((r.times.jsMs + r.times.gcMs) / total) * 100).toFixed(0)} % |`),
    `| **all six** | **${per(rows.reduce((s, r) => s + r.times.jsMs, 0))}** | **${per(rows.reduce((s, r) => s + r.times.gcMs, 0))}** | **${per(rows.reduce((s, r) => s + r.times.outsideMs, 0))}** | workerd CPU clock: ${per(workerd)} ms / sign-in |`,
    ""
  ]
  for (const r of rows) {
    lines.push(`### ${r.worker} — top files and frames by self time (ms per sign-in)`, "", "| file / package | ms | | frame | ms |", "|---|---:|---|---|---:|")
    for (let i = 0; i < TOP; i++) {
      const f = r.times.files[i]
      const fr = r.times.frames[i]
      if (f === undefined && fr === undefined) break
      lines.push(`| ${f ? `\`${f.frame}\`` : ""} | ${f ? per(f.selfMs) : ""} | | ${fr ? `\`${fr.frame}\`` : ""} | ${fr ? per(fr.selfMs) : ""} |`)
    }
    lines.push("")
  }
  return lines.join("\n")
}
