/**
 * Configuration of Pushed Authorization Requests (RFC 9126), from edge vars:
 * - `REQUIRE_PAR` = "true": every client must use PAR (RFC 9126 §5, the
 *   server-wide `require_pushed_authorization_requests`); unset/other: only
 *   clients registered with `require_pushed_authorization_requests`.
 * - `PAR_REQUEST_TTL_SECONDS`: lifetime of a request_uri; unset: 90 s. The
 *   tokens service clamps it to 1…600 s and reports what it applied in
 *   `expires_in` (RFC 9126 §2.2 wants it short: it is a bearer reference).
 */
import type { Client } from "@authrim/contracts"
import type { ServiceEnv } from "../env.ts"

/** PAR settings of one request. */
export interface ParSettings {
  /** Server-wide requirement (`REQUIRE_PAR`). */
  readonly requireForAllClients: boolean
  /** Requested request_uri lifetime in seconds; undefined: the tokens service default (90 s). */
  readonly requestTtlSeconds: number | undefined
}

/** PAR off by default: clients may still push, none has to. */
export const defaultParSettings: ParSettings = { requireForAllClients: false, requestTtlSeconds: undefined }

/** Reads the PAR vars of the edge env. */
export const parSettingsFor = (env: Pick<ServiceEnv, "REQUIRE_PAR" | "PAR_REQUEST_TTL_SECONDS">): ParSettings => {
  const ttl = Number(env.PAR_REQUEST_TTL_SECONDS?.trim() || Number.NaN)
  return {
    requireForAllClients: env.REQUIRE_PAR?.trim().toLowerCase() === "true",
    requestTtlSeconds: Number.isFinite(ttl) && ttl > 0 ? ttl : undefined
  }
}

/** Whether `client` may send authorization requests only through PAR. */
export const parRequiredFor = (settings: ParSettings, client: Client): boolean =>
  settings.requireForAllClients || client.requirePushedAuthorizationRequests === true
