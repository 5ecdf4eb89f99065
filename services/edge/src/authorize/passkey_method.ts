/**
 * `amr`/`acr` of a passkey sign-in.
 *
 * amr (RFC 8176 §2): `hwk` — proof of possession of a hardware-secured key
 * (a passkey bound to one authenticator), or `swk` for a synced passkey
 * (backed up to a cloud keychain, so the key is no longer confined to one
 * piece of hardware); `user` — the authenticator's user-presence test; and
 * `mfa` when the authenticator verified the user (PIN or biometric — which of
 * the two is not reported, hence no `pin`/`fpt`): possession plus
 * knowledge/inherence are two factors. User verification is required by the
 * identity service, so a passkey sign-in is always `mfa`.
 *
 * acr (OpenID "EAP ACR Values" 1.0): `phrh` — phishing-resistant and
 * hardware-protected — for a single-device passkey, `phr` — phishing-resistant
 * — for a synced one. WebAuthn is origin-bound, hence phishing-resistant.
 */
import type { PasskeySignIn } from "@authrim/contracts"
import type { SignInMethod } from "./open_session.ts"

/** The sign-in method of a verified passkey assertion. */
export const passkeyMethod = (signIn: PasskeySignIn): SignInMethod => ({
  amr: [signIn.backedUp ? "swk" : "hwk", "user", ...(signIn.userVerified ? ["mfa"] : [])],
  acr: signIn.backedUp ? "phr" : "phrh"
})
