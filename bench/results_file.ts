/** Writes a run's `bench/results/<date>.json`, `<date>.svg` and `latest.svg` (the one the README shows). */
import { mkdirSync, writeFileSync } from "node:fs"
import path from "node:path"
import { repoRoot } from "../scripts/local_stack.ts"
import { chartSvg } from "./report/chart_svg.ts"
import type { BenchResults } from "./results.ts"

export const resultsDir = path.join(repoRoot, "bench/results")

/** The local calendar date, YYYY-MM-DD. */
export const localDate = (d = new Date()): string =>
  `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`

/**
 * A full run writes `<date>.json/.svg` and `latest.svg`; a `--quick` or `--only` run writes
 * `<date>-quick.*` and leaves `latest.svg` alone, so a smoke run never replaces the README chart.
 */
export const writeResults = (results: BenchResults, complete: boolean): ReadonlyArray<string> => {
  mkdirSync(resultsDir, { recursive: true })
  const svg = chartSvg(results)
  const full = complete && !results.quick
  const name = full ? results.date : `${results.date}-quick`
  const files: Array<readonly [string, string]> = [
    [path.join(resultsDir, `${name}.json`), JSON.stringify(results, null, 2) + "\n"],
    [path.join(resultsDir, `${name}.svg`), svg]
  ]
  if (full) files.push([path.join(resultsDir, "latest.svg"), svg])
  for (const [file, text] of files) writeFileSync(file, text)
  return files.map(([file]) => path.relative(repoRoot, file))
}
