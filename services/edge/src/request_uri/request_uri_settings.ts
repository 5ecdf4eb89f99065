/**
 * Limits of request objects by reference (JAR RFC 9101 §5.2, OIDC Core §6.2).
 * Fixed, not vars: they bound what one /authorize may cost the edge.
 * - https only; plain http only on a loopback host and only with
 *   `AUTHRIM_ENV=development` (a local RP in `npm start`).
 * - At most 64 KiB of body and 5 s for the whole fetch; no redirects.
 */
import type { ServiceEnv } from "../env.ts"
import { rpDocumentSettings, type RpDocumentSettings } from "../http/rp_document_url.ts"

/** How request_uri values are fetched. */
export type RequestUriSettings = RpDocumentSettings

/** 64 KiB: a signed request object is a few KiB; anything larger is refused. */
export const REQUEST_OBJECT_MAX_BYTES = 64 * 1024
/** The whole fetch (connect, headers, body) within 5 s. */
export const REQUEST_OBJECT_TIMEOUT_MS = 5000
/** JAR §5.2: a request_uri SHOULD NOT exceed 512 ASCII characters; longer is refused. */
export const REQUEST_URI_MAX_LENGTH = 512

/** The edge's settings from its env. */
export const requestUriSettingsFor = (env: Pick<ServiceEnv, "AUTHRIM_ENV">): RequestUriSettings =>
  rpDocumentSettings(env, REQUEST_OBJECT_MAX_BYTES, REQUEST_OBJECT_TIMEOUT_MS)
