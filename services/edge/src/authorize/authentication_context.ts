/**
 * What a sign-in adds up to: the second-factor rule (which `amr` values
 * already count as strong) and the `acr` values this provider can assert
 * (OIDC Core §2 `acr`, §3.1.2.1 `acr_values`).
 *
 * - `urn:authrim:acr:mfa`: two factors were used — a password (or another
 *   first factor) plus a TOTP or recovery code, RFC 8176 amr `otp` + `mfa`.
 * - `phr` / `phrh` (OpenID EAP ACR Values 1.0): phishing-resistant sign-in
 *   with a passkey (see `passkey_method.ts`); both also count as MFA.
 */
import type { SignInMethod } from "./open_session.ts"

/** The acr of a sign-in that passed a second factor here. */
export const MFA_ACR = "urn:authrim:acr:mfa"

/** Advertised in discovery (`acr_values_supported`). */
export const ACR_VALUES_SUPPORTED = [MFA_ACR, "phr", "phrh"]

/** For each acr an RP may ask for: the session acrs that meet it (a stronger one meets a weaker request). */
const satisfiedBy: Readonly<Record<string, ReadonlyArray<string>>> = {
  [MFA_ACR]: [MFA_ACR, "phr", "phrh"],
  phr: ["phr", "phrh"],
  phrh: ["phrh"]
}

/**
 * Whether a session with `sessionAcr` answers a request for `requested`
 * (`acr_values`, in order of preference). Values this provider cannot assert
 * are ignored (acr_values is a voluntary request, OIDC Core §5.5.1.1): asking
 * for them alone never forces a sign-in that could not produce them.
 */
export const acrSatisfied = (requested: ReadonlyArray<string>, sessionAcr: string | null): boolean => {
  const known = requested.filter((acr) => satisfiedBy[acr] !== undefined)
  return known.length === 0 || known.some((acr) => sessionAcr !== null && satisfiedBy[acr]!.includes(sessionAcr))
}

/**
 * The `acr` the ID token states for a session with `sessionAcr` (OIDC Core
 * §2, §3.1.2.1): when it meets one of the `requested` values (in order of
 * preference), that requested value — the RP asked in its own terms and the
 * session is at least that strong; otherwise what the session achieved
 * (null: nothing this provider asserts, so no `acr` claim).
 */
export const achievedAcr = (requested: ReadonlyArray<string>, sessionAcr: string | null): string | null => {
  if (sessionAcr === null) return null
  const met = requested.find((acr) => satisfiedBy[acr]?.includes(sessionAcr) === true)
  return met ?? sessionAcr
}

/**
 * An essential `acr` claim request (`claims` parameter, OIDC Core §5.5.1.1)
 * the session cannot meet: none of its values is met by `sessionAcr`. A
 * request naming no value this provider asserts can never be met.
 */
export const essentialAcrUnmet = (acr: { values: ReadonlyArray<string>; essential: boolean } | null, sessionAcr: string | null): boolean =>
  acr !== null && acr.essential && acr.values.length > 0 &&
  !acr.values.some((value) => sessionAcr !== null && satisfiedBy[value]?.includes(sessionAcr) === true)

/**
 * RFC 8176 amr values that already prove more than a password: a passkey
 * (`hwk`, `swk`), user verification on it (`mfa`) or a one-time password
 * (`otp`). A sign-in with one of them is not asked for TOTP on top.
 */
const STRONG_AMR = ["mfa", "hwk", "swk", "otp"]

/** True when a sign-in by `method` still needs the user's second factor (if they have one). */
export const needsSecondFactor = (method: SignInMethod): boolean => !method.amr.some((amr) => STRONG_AMR.includes(amr))

/**
 * The method after a TOTP or recovery code: first factor's amr + `otp`
 * (a recovery code is a one-time password too) + `mfa`, acr MFA.
 */
export const withSecondFactor = (method: SignInMethod): SignInMethod => ({
  amr: [...new Set([...method.amr, "otp", "mfa"])],
  acr: MFA_ACR
})
