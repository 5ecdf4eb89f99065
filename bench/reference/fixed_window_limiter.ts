/**
 * The reference's rate-limit check: an in-memory fixed-window counter (a Map)
 * in the provider's own process. oidc-provider has no limiter, so this is the
 * floor a single-process limiter gives — no network hop, no durability, no
 * sharing between instances — not a feature of oidc-provider.
 */

/** Windows are aligned to the epoch, so when the window changes every key starts over and the map is cleared. */
export const makeFixedWindowLimiter = (limit: number, windowSeconds: number) => {
  const counts = new Map<string, number>()
  let window = -1
  return (key: string, now = Date.now()) => {
    const current = Math.floor(now / (windowSeconds * 1000))
    if (current !== window) {
      counts.clear()
      window = current
    }
    const count = (counts.get(key) ?? 0) + 1
    counts.set(key, count)
    return { allowed: count <= limit, current: count, limit, remaining: Math.max(0, limit - count), resetAt: (current + 1) * windowSeconds * 1000 }
  }
}
