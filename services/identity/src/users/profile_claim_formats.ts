/**
 * Formats of the OIDC standard claims (OIDC Core §5.1), checked before a
 * profile is written: what an RP receives must parse as the spec says. Each
 * check answers null (fine) or why not; `checkProfilePatch` names the field.
 */
import type { AddressClaim, UserProfilePatch } from "@authrim/contracts"

/** Longest free-text claim kept (names, nickname, gender …), in code points. */
export const MAX_PROFILE_TEXT = 256
/** Longest URL kept (profile, picture, website). */
export const MAX_PROFILE_URL = 2_048

const text = (value: string): string | null =>
  [...value].length > MAX_PROFILE_TEXT ? `must be at most ${MAX_PROFILE_TEXT} characters`
  : /[\u0000-\u001f\u007f]/.test(value) ? "must not contain control characters"
  : null

/** https only (http just for localhost / 127.0.0.1, local development), absolute, no credentials, no fragment. */
const httpsUrl = (value: string): string | null => {
  if (value.length > MAX_PROFILE_URL) return `must be at most ${MAX_PROFILE_URL} characters`
  let url: URL
  try {
    url = new URL(value)
  } catch {
    return "must be an absolute https URL"
  }
  const local = url.hostname === "localhost" || url.hostname === "127.0.0.1"
  if (url.protocol !== "https:" && !(url.protocol === "http:" && local)) return "must be an absolute https URL"
  if (url.username !== "" || url.password !== "") return "must not carry credentials"
  if (url.hash !== "") return "must not have a fragment"
  return null
}

/** `YYYY` or `YYYY-MM-DD`, a real calendar date (OIDC Core §5.1: ISO 8601:2004 YYYY-MM-DD or YYYY). */
const birthdate = (value: string): string | null => {
  if (/^\d{4}$/.test(value)) return value === "0000" ? "must be YYYY or YYYY-MM-DD" : null
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value)
  if (match === null) return "must be YYYY or YYYY-MM-DD"
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])]
  const date = new Date(Date.UTC(year, month - 1, day))
  const real = year > 0 && date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day
  return real ? null : "must be a real date (YYYY-MM-DD)"
}

/** An IANA zone name (`Area/Location`, or `UTC`): the runtime's tz database decides; offsets are not zone names. */
const zoneinfo = (value: string): string | null => {
  if (!/^[A-Za-z][A-Za-z0-9_+\-]*(\/[A-Za-z0-9_+\-]+)*$/.test(value)) return "must be an IANA time zone such as Europe/Paris"
  try {
    new Intl.DateTimeFormat("en", { timeZone: value })
    return null
  } catch {
    return "must be an IANA time zone such as Europe/Paris"
  }
}

/** A well-formed BCP 47 tag (hyphens, not underscores: `ja-JP`, not `ja_JP`). */
const locale = (value: string): string | null => {
  try {
    return Intl.getCanonicalLocales(value).length === 1 ? null : "must be one BCP 47 language tag such as ja-JP"
  } catch {
    return "must be a BCP 47 language tag such as ja-JP"
  }
}

/** E.164: `+`, country code, at most 15 digits, nothing else (OIDC Core §5.1 recommends it). */
const e164 = (value: string): string | null => (/^\+[1-9]\d{1,14}$/.test(value) ? null : "must be an E.164 number such as +81312345678")

const addressMembers = ["formatted", "street_address", "locality", "region", "postal_code", "country"] as const

/** The address object: only §5.1.1 members, each a string of bounded length. */
const address = (value: Readonly<Record<string, unknown>>): ProfileProblem | { readonly address: AddressClaim | null } => {
  const out: Record<string, string> = {}
  for (const [key, member] of Object.entries(value)) {
    if (!(addressMembers as ReadonlyArray<string>).includes(key)) return { field: `address.${key}`, reason: "is not an address member (OIDC Core §5.1.1)" }
    if (typeof member !== "string") return { field: `address.${key}`, reason: "must be a string" }
    const problem = key === "formatted" || key === "street_address" ? ([...member].length > 1_024 ? "must be at most 1024 characters" : null) : text(member)
    if (problem !== null) return { field: `address.${key}`, reason: problem }
    if (member.trim() !== "") out[key] = member.trim()
  }
  return { address: Object.keys(out).length === 0 ? null : out }
}

/** A field that is wrong, and why (shown to the user / admin as `<field> <reason>`). */
export interface ProfileProblem {
  readonly field: string
  readonly reason: string
}

const checks: Readonly<Record<string, (value: string) => string | null>> = {
  name: text, given_name: text, family_name: text, middle_name: text, nickname: text, preferred_username: text, gender: text,
  profile: httpsUrl, picture: httpsUrl, website: httpsUrl,
  birthdate, zoneinfo, locale, phone_number: e164
}

/** A checked patch: strings trimmed (empty → null), address normalised. */
export type CheckedProfilePatch = Omit<UserProfilePatch, "address"> & { readonly address?: AddressClaim | null }

/** The patch with its values normalised, or the first field that is wrong and why. */
export const checkProfilePatch = (patch: UserProfilePatch): CheckedProfilePatch | ProfileProblem => {
  const out: Record<string, unknown> = {}
  for (const [field, value] of Object.entries(patch)) {
    if (value === undefined) continue
    if (field === "phone_number_verified") {
      if (typeof value !== "boolean") return { field, reason: "must be true or false" }
      out[field] = value
      continue
    }
    if (field === "address") continue
    const check = checks[field]
    if (check === undefined) continue
    if (value === null) {
      out[field] = null
      continue
    }
    if (typeof value !== "string") return { field, reason: "must be a string" }
    const trimmed = value.trim()
    if (trimmed === "") {
      out[field] = null
      continue
    }
    const problem = check(trimmed)
    if (problem !== null) return { field, reason: problem }
    out[field] = trimmed
  }
  if (patch.address !== undefined) {
    const checked = patch.address === null ? { address: null } : address(patch.address)
    if ("reason" in checked) return checked
    out.address = checked.address
  }
  return out as CheckedProfilePatch
}
