/**
 * Debian's Chromium driven by playwright-core (npm packages that download their own browser
 * cannot reach their host here). `.ci/run` installs `chromium` when it is missing; a missing
 * browser fails the test rather than skipping it. `CHROMIUM_PATH` overrides the location.
 */
import { existsSync } from "node:fs"
import { chromium, type Browser, type Page } from "playwright-core"

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

/** Every visible form control of the page that no `<label>` (or aria-label) names — must be none on our pages. */
export const unlabelledControls = (page: Page): Promise<Array<string>> =>
  page.$$eval("input:not([type=hidden]), select, textarea", (controls) =>
    controls.filter((c) => (c as HTMLInputElement).labels?.length === 0 && !c.getAttribute("aria-label")).map((c) => c.outerHTML))
