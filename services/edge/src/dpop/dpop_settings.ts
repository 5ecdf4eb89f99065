/**
 * DPoP configuration of the edge (RFC 9449 §8 server nonces).
 * `DPOP_NONCE_REQUIRED_FOR`: `*` requires a server nonce in every proof;
 * a comma-separated list of client ids requires it for those clients only;
 * unset or empty (the default) requires none — nonces then only limit a
 * proof's lifetime further, which the ±60 s iat window and the one-time jti
 * already bound. A proof that carries a nonce has it checked either way.
 */

/** Which clients must put the current server nonce in their proofs. */
export interface DpopSettings {
  readonly nonceRequired: (clientId: string) => boolean
}

/** No nonce required (the default). */
export const defaultDpopSettings: DpopSettings = { nonceRequired: () => false }

/** Settings from the worker's env. */
export const dpopSettingsFor = (env: { readonly DPOP_NONCE_REQUIRED_FOR?: string }): DpopSettings => {
  const entries = (env.DPOP_NONCE_REQUIRED_FOR ?? "").split(",").map((s) => s.trim()).filter((s) => s !== "")
  if (entries.includes("*")) return { nonceRequired: () => true }
  const clients = new Set(entries)
  return { nonceRequired: (clientId) => clients.has(clientId) }
}
