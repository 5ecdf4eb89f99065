/**
 * Synthetic client addresses for the limiter shard balance, as the edge keys
 * them: `<policy name>:<cf-connecting-ip>` (rate_limit_gate.ts), here under
 * the per-IP `/authorize` + `/login` policy. The mix leans adversarial on
 * purpose: besides random addresses, large blocks walked in order (carrier
 * NAT pools and cloud ranges hand out neighbouring addresses) and IPv6
 * addresses that differ only in the /64 prefix or only in the interface id.
 */
import { DEFAULT_POLICIES } from "../../services/edge/src/http/rate_limit_policies.ts"
import { seededRandom } from "./seeded_random.ts"
import type { KeySet } from "./synthetic_user_ids.ts"

/** Key prefix of the per-IP `/authorize` and `/login` policy (`authorize:ip`). */
export const PER_IP_POLICY = DEFAULT_POLICIES.authorize.name

const ipv4 = (n: number): string => `${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`

/** RFC 5952 text of eight 16-bit groups: lower-case, no leading zeros, longest run (≥ 2) of zero groups as `::`. */
const ipv6 = (groups: ReadonlyArray<number>): string => {
  let bestStart = -1
  let bestLength = 1
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) { i++; continue }
    let j = i
    while (j < 8 && groups[j] === 0) j++
    if (j - i > bestLength) { bestStart = i; bestLength = j - i }
    i = j
  }
  const text = groups.map((g) => g.toString(16))
  if (bestStart < 0) return text.join(":")
  return `${text.slice(0, bestStart).join(":")}::${text.slice(bestStart + bestLength).join(":")}`
}

const keysOf = (name: string, description: string, count: number, make: (i: number) => string): KeySet => ({
  name,
  description,
  count,
  *keys() {
    for (let i = 0; i < count; i++) yield `${PER_IP_POLICY}:${make(i)}`
  }
})

const dotted = (n: number): string => n.toLocaleString("en-US")

/** Uniform random 32-bit IPv4 addresses. */
const randomIpv4 = (count: number, seed: number): KeySet => {
  const random = seededRandom(seed)
  return keysOf("ipv4-random", `${dotted(count)} random IPv4`, count, () => ipv4(random()))
}

/** `count` consecutive IPv4 addresses from `start` (a pool walked in order). */
const sequentialIpv4 = (name: string, label: string, start: number, count: number): KeySet =>
  keysOf(name, `${dotted(count)} consecutive IPv4 from ${ipv4(start)} (${label})`, count, (i) => ipv4((start + i) >>> 0))

/** Random global-unicast IPv6 (2000::/3), every other bit random. */
const randomIpv6 = (count: number, seed: number): KeySet => {
  const random = seededRandom(seed)
  return keysOf("ipv6-random", `${dotted(count)} random IPv6 in 2000::/3`, count, () => {
    const groups: Array<number> = []
    for (let g = 0; g < 8; g += 2) {
      const r = random()
      groups.push(r >>> 16, r & 0xffff)
    }
    groups[0] = 0x2000 | (groups[0]! & 0x1fff)
    return ipv6(groups)
  })
}

/** Adjacent /64s (one per subscriber), each seen through the same interface id `::1`: only the prefix differs. */
const adjacentIpv6Prefixes = (count: number): KeySet =>
  keysOf("ipv6-adjacent-/64", `${dotted(count)} adjacent /64s 2a02:8070:0:0::/64 upward, interface id ::1`, count, (i) =>
    ipv6([0x2a02, 0x8070, i >>> 16, i & 0xffff, 0, 0, 0, 1]))

/** Consecutive interface ids inside one /64 (DHCPv6 handing out addresses in order). */
const sequentialIpv6InOne64 = (count: number): KeySet =>
  keysOf("ipv6-one-/64", `${dotted(count)} consecutive addresses in 2001:db8:1234:5678::/64 from ::1`, count, (i) =>
    ipv6([0x2001, 0xdb8, 0x1234, 0x5678, 0, 0, (i + 1) >>> 16, (i + 1) & 0xffff]))

/** The 5,000,000-address mix (sizes in the descriptions), in a fixed order so the run repeats. */
export const clientAddressMix = (): ReadonlyArray<KeySet> => [
  randomIpv4(1_500_000, 4),
  sequentialIpv4("ipv4-cgnat-seq", "carrier-grade NAT 100.64.0.0/10 in order", 0x64400000, 1_000_000),
  sequentialIpv4("ipv4-cloud-seq", "a cloud /8, 3.0.0.0/8 in order", 0x03000000, 500_000),
  randomIpv6(1_500_000, 6),
  adjacentIpv6Prefixes(250_000),
  sequentialIpv6InOne64(250_000)
]
