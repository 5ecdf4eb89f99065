/**
 * What a `wrangler deploy --dry-run --outdir` bundle tells without running
 * it: its compressed size (what Workers' size limit counts) and the names its
 * main module exports (entrypoint and Durable Object classes).
 */
import { readdirSync, readFileSync } from "node:fs"
import path from "node:path"
import { gzipSync } from "node:zlib"

/** Workers' limits on a compressed bundle (developers.cloudflare.com/workers/platform/limits). */
export const bundleLimits = { freeBytes: 3 * 1024 * 1024, paidBytes: 10 * 1024 * 1024 } as const

/** Files of a bundle that are uploaded (source maps and wrangler's README are not). */
const uploaded = (file: string): boolean => /\.(m?js|cjs|wasm|bin|txt|html)$/.test(file) && file !== "README.md"

/** The gzip size of every uploaded file of the bundle in `outdir`, summed. */
export const compressedBundleBytes = (outdir: string): number =>
  readdirSync(outdir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && uploaded(entry.name))
    .reduce((sum, entry) => sum + gzipSync(readFileSync(path.join(entry.parentPath, entry.name))).length, 0)

/**
 * The names exported by a bundled ES module: esbuild ends it with one
 * `export { local as exported, … }` list, so its last such list is read.
 */
export const exportedNames = (moduleSource: string): ReadonlySet<string> => {
  const lists = [...moduleSource.matchAll(/^export\s*\{([^}]*)\}\s*;?/gm)]
  const names = lists.flatMap((m) =>
    (m[1] as string)
      .split(",")
      .map((part) => part.trim())
      .filter((part) => part !== "")
      .map((part) => (part.split(/\s+as\s+/).at(-1) as string).trim())
  )
  return new Set(names)
}

/** The main module of a bundle in `outdir` (wrangler names it after the entry: `index.js`). */
export const mainModuleOf = (outdir: string, main: string): string => path.join(outdir, `${path.basename(main).replace(/\.[cm]?[jt]s$/, "")}.js`)
