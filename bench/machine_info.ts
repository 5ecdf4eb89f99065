/** The machine and tool versions a run was measured on (numbers only compare within one run). */
import { readFileSync } from "node:fs"
import os from "node:os"
import path from "node:path"
import { repoRoot } from "../scripts/local_stack.ts"
import type { MachineInfo } from "./results.ts"

const packageVersion = (name: string) => {
  try {
    return (JSON.parse(readFileSync(path.join(repoRoot, "node_modules", name, "package.json"), "utf8")) as { version: string }).version
  } catch {
    return "unknown"
  }
}

export const machineInfo = (): MachineInfo => ({
  cpuModel: os.cpus()[0]?.model.trim() ?? "unknown",
  cores: os.cpus().length,
  totalMemoryMb: Math.round(os.totalmem() / 2 ** 20),
  platform: `${os.platform()} ${os.release()} ${os.arch()}`,
  node: process.version,
  wrangler: packageVersion("wrangler"),
  oidcProvider: packageVersion("oidc-provider"),
  workersOauthProvider: packageVersion("@cloudflare/workers-oauth-provider")
})
