/**
 * Which URLs a dynamically registered client may register (RFC 7591 §5,
 * RFC 8252 §7–8, OIDC Dynamic Registration §2), stricter than the operator's
 * own seed: nobody vouches for a self-registered client.
 *
 * - `https:` — always (web and native clients; RFC 8252 §7.2 claimed https).
 * - `http:` — only on a loopback host: `127.0.0.1`, `[::1]` (RFC 8252 §7.3) and
 *   `localhost` (§8.3 says NOT RECOMMENDED, not forbidden: local development).
 *   Any port (§7.3: the port is chosen at run time by the native app).
 * - a private-use scheme (RFC 8252 §7.1) — only for `application_type: native`, and
 *   only a reverse-domain scheme (it contains a period, e.g. `com.example.app:/cb`),
 *   which also keeps out `javascript:`, `data:`, `file:` and the like.
 * - never a fragment (RFC 6749 §3.1.2), never user:password@, never a relative URL.
 */

/** RFC 7591 `application_type` (OIDC Dynamic Registration §2); default web. */
export type ApplicationType = "web" | "native"

const loopbackHosts = new Set(["127.0.0.1", "[::1]", "localhost"])

const parse = (uri: string): URL | null => {
  try {
    return new URL(uri)
  } catch {
    return null
  }
}

/** Why `uri` may not be a redirect URI of a client of `type`, or null when it may. */
export const redirectUriProblem = (uri: string, type: ApplicationType): string | null => {
  if (uri.includes("#")) return `redirect URI must not have a fragment: ${uri}`
  const url = parse(uri)
  if (url === null) return `redirect URI is not an absolute URI: ${uri}`
  if (url.username !== "" || url.password !== "") return `redirect URI must not carry credentials: ${uri}`
  if (url.protocol === "https:") return url.hostname === "" ? `redirect URI has no host: ${uri}` : null
  if (url.protocol === "http:") return loopbackHosts.has(url.hostname) ? null : `http redirect URIs are allowed only on a loopback host (127.0.0.1, [::1], localhost): ${uri}`
  if (type !== "native") return `a web client's redirect URIs must be https (or http on a loopback host): ${uri}`
  return url.protocol.slice(0, -1).includes(".") ? null : `a native client's private-use scheme must be a reverse domain name (e.g. com.example.app:/cb): ${uri}`
}

/**
 * Why `uri` may not be one of the client's web URLs (`client_uri`, `logo_uri`, `policy_uri`, `tos_uri`,
 * `backchannel_logout_uri`), or null: https, or http on a loopback host; no fragment, no credentials.
 * These are shown to users or called by the provider, so never another scheme.
 */
export const webUriProblem = (name: string, uri: string): string | null => {
  const url = parse(uri)
  if (url === null || uri.includes("#") || url.username !== "" || url.password !== "") return `${name} must be an absolute https URL without fragment: ${uri}`
  if (url.protocol === "https:") return null
  if (url.protocol === "http:" && loopbackHosts.has(url.hostname)) return null
  return `${name} must be https (or http on a loopback host): ${uri}`
}
