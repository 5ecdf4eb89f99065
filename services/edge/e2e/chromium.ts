/**
 * Debian's Chromium driven by playwright-core (npm packages that download their own browser
 * cannot reach their host here). `.ci/run` installs `chromium` when it is missing; a missing
 * browser fails the test rather than skipping it. `CHROMIUM_PATH` overrides the location.
 */
import { existsSync } from "node:fs"
import { chromium, type Browser } from "playwright-core"

/** Where the browser is. */
export const chromiumPath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium"

/**
 * Headless Chromium with the flags this machine needs: no sandbox (root in CI), and no
 * background networking (the network is closed; Chromium's own connections would be refused).
 */
export const launchChromium = async (): Promise<Browser> => {
  if (!existsSync(chromiumPath)) throw new Error(`Chromium not found at ${chromiumPath}: install Debian's chromium package (.ci/run does)`)
  return chromium.launch({
    executablePath: chromiumPath,
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"]
  })
}
