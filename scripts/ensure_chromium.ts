/**
 * `npm test` step: the browser tests drive Debian's Chromium (services/edge/e2e/chromium.ts),
 * so a fresh machine gets it here — `apt-get install -y chromium` (as root, or through sudo),
 * with one `apt-get update` retry. Nothing happens when it is already installed or
 * `CHROMIUM_PATH` names another browser. A failed install stops the run with the reason:
 * the browser tests would fail anyway, and they must not be skipped silently.
 */
import { spawnSync } from "node:child_process"
import { existsSync } from "node:fs"

const chromiumPath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium"

const aptGet = (args: ReadonlyArray<string>): boolean => {
  const asRoot = process.getuid?.() === 0
  const [command, ...rest] = asRoot ? ["apt-get", ...args] : ["sudo", "-n", "apt-get", ...args]
  return spawnSync(command!, rest, { stdio: "inherit", env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" } }).status === 0
}

/** A Japanese font, so the Japanese pages' screenshots (pages_languages.browser.e2e.test.ts) show text, not boxes. */
const japaneseFont = "/usr/share/fonts/opentype/ipafont-gothic"
if (!existsSync(japaneseFont) && !(aptGet(["install", "-y", "fonts-ipafont-gothic"]) || (aptGet(["update"]) && aptGet(["install", "-y", "fonts-ipafont-gothic"])))) {
  console.error("Could not install fonts-ipafont-gothic: the Japanese screenshots would show boxes instead of text.")
}

if (!existsSync(chromiumPath)) {
  console.log(`• Chromium not found at ${chromiumPath}: installing Debian's chromium package for the browser tests…`)
  const installed = aptGet(["install", "-y", "chromium"]) || (aptGet(["update"]) && aptGet(["install", "-y", "chromium"]))
  if (!installed || !existsSync(chromiumPath)) {
    console.error("Could not install chromium (apt-get install -y chromium). Install it, or set CHROMIUM_PATH to a Chromium binary.")
    process.exit(1)
  }
}
