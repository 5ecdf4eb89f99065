/**
 * Limits of sector identifier documents (OIDC Registration §5, fetched when a
 * client naming a `sector_identifier_uri` is written). Fixed, not vars: they
 * bound what one registration may cost the edge.
 * - https only; plain http only on a loopback host and only with
 *   `AUTHRIM_ENV=development` (a local RP in `npm start`).
 * - At most 32 KiB of body and 5 s for the whole fetch; no redirects.
 */
import type { ServiceEnv } from "../env.ts"
import { rpDocumentSettings, type RpDocumentSettings } from "../http/rp_document_url.ts"

/** How sector identifier documents are fetched. */
export type SectorIdentifierSettings = RpDocumentSettings

/** 32 KiB: a JSON array of a client's redirect URIs (at most 50 of 2000 characters would be ~100 KiB, real ones are far below). */
export const SECTOR_DOCUMENT_MAX_BYTES = 32 * 1024
/** The whole fetch (connect, headers, body) within 5 s. */
export const SECTOR_DOCUMENT_TIMEOUT_MS = 5000

/** The edge's settings from its env. */
export const sectorIdentifierSettingsFor = (env: Pick<ServiceEnv, "AUTHRIM_ENV">): SectorIdentifierSettings =>
  rpDocumentSettings(env, SECTOR_DOCUMENT_MAX_BYTES, SECTOR_DOCUMENT_TIMEOUT_MS)
