/**
 * A short, human label for the device a session was opened from ("Firefox on
 * Linux"), shown on the account page so a user can recognise their sessions.
 * Derived from the User-Agent header at sign-in; it is a description, never a
 * security signal (any client can send any User-Agent). Order matters: Edge
 * and Opera also say "Chrome", Chrome also says "Safari".
 */

const browsers: ReadonlyArray<readonly [RegExp, string]> = [
  [/\bEdg(?:e|A|iOS)?\//, "Edge"],
  [/\bOPR\/|\bOpera\b/, "Opera"],
  [/\bSamsungBrowser\//, "Samsung Internet"],
  [/\bFirefox\/|\bFxiOS\//, "Firefox"],
  [/\b(?:Headless)?Chrome\/|\bCriOS\/|\bChromium\//, "Chrome"],
  [/\bSafari\//, "Safari"],
  [/^curl\//, "curl"]
]

const systems: ReadonlyArray<readonly [RegExp, string]> = [
  [/\biPhone\b/, "iPhone"],
  [/\biPad\b/, "iPad"],
  [/\bAndroid\b/, "Android"],
  [/\bCrOS\b/, "ChromeOS"],
  [/\bWindows\b/, "Windows"],
  [/\bMac OS X\b|\bMacintosh\b/, "macOS"],
  [/\bLinux\b/, "Linux"]
]

const first = (table: ReadonlyArray<readonly [RegExp, string]>, userAgent: string) =>
  table.find(([pattern]) => pattern.test(userAgent))?.[1]

/** "Browser on System", whichever half is known, or null when neither is. */
export const deviceNameFrom = (userAgent: string | null): string | null => {
  if (userAgent === null) return null
  const browser = first(browsers, userAgent)
  const system = first(systems, userAgent)
  if (browser !== undefined && system !== undefined) return `${browser} on ${system}`
  return browser ?? system ?? null
}
