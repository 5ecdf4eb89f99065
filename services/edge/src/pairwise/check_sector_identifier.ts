/**
 * The sector identifier document of a client (OIDC Registration §5, OIDC Core
 * §8.1), checked by the edge before any write that names a
 * `sector_identifier_uri` (dynamic registration and its updates, the admin
 * API, the console): the URI must be https (http on a loopback host only in
 * development), fetched once within the limits of sector_identifier_settings.ts
 * (no redirects), and answer a JSON array of strings holding every
 * redirect_uri of the client. Anything else is `invalid_client_metadata`,
 * never a 500. The seed file is not checked here: the operator vouches for it.
 */
import { OAuthError, type EdgeFailure } from "@authrim/contracts"
import { Effect } from "effect"
import { Edge } from "../edge_layer.ts"
import { cappedFetchText, type CappedFetchFailed } from "../http/capped_fetch.ts"
import { rpDocumentUrl } from "../http/rp_document_url.ts"
import type { SectorIdentifierSettings } from "./sector_identifier_settings.ts"

const invalidMetadata = (description: string) => new OAuthError({ code: "invalid_client_metadata", description })

const describe = (failure: CappedFetchFailed, maxBytes: number): string => {
  switch (failure.kind) {
    case "unreachable": return "the sector_identifier_uri could not be fetched"
    case "status": return `the sector_identifier_uri answered ${failure.status ?? 0}, not 200 (redirects are not followed)`
    case "too_large": return `the sector identifier document is larger than ${maxBytes} bytes`
    case "unreadable": return "the sector identifier document could not be read in time"
    case "not_utf8": return "the sector identifier document is not UTF-8 text"
  }
}

const parseJson = (text: string): unknown => {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}

/** The sector document at `uri` lists every one of `redirectUris`, else `invalid_client_metadata`. */
export const checkSectorIdentifier = Effect.fnUntraced(function*(
  uri: string, redirectUris: ReadonlyArray<string>, settings: SectorIdentifierSettings
): Effect.fn.Return<void, OAuthError> {
  const url = rpDocumentUrl(uri, settings)
  if (url === "not_absolute") return yield* invalidMetadata("sector_identifier_uri is not an absolute URL")
  if (url === "insecure" || uri.includes("#")) {
    return yield* invalidMetadata("sector_identifier_uri must be an https URL without credentials or fragment")
  }
  const text = yield* cappedFetchText(url, { maxBytes: settings.maxBytes, timeoutMs: settings.timeoutMs, accept: "application/json" }).pipe(
    Effect.mapError((failure) => invalidMetadata(describe(failure, settings.maxBytes)))
  )
  const listed = parseJson(text)
  if (!Array.isArray(listed) || !listed.every((entry): entry is string => typeof entry === "string")) {
    return yield* invalidMetadata("the sector identifier document must be a JSON array of URI strings")
  }
  const missing = redirectUris.find((redirectUri) => !listed.includes(redirectUri))
  if (missing !== undefined) return yield* invalidMetadata(`the sector identifier document does not list the redirect_uri ${missing}`)
})

/** With the edge's settings: checks `uri` when one is named (null/undefined: nothing to fetch). */
export const checkClientSector = Effect.fnUntraced(function*(
  uri: string | null | undefined, redirectUris: ReadonlyArray<string>
): Effect.fn.Return<void, OAuthError | EdgeFailure, Edge> {
  if (uri === null || uri === undefined) return
  const { sectorIdentifier } = yield* Edge
  yield* checkSectorIdentifier(uri, redirectUris, sectorIdentifier)
})

/** RFC 7591 metadata (snake_case JSON): its `sector_identifier_uri`, when a string, against its `redirect_uris`. Other shapes are identity's to refuse. */
export const checkRegistrationSector = (metadata: Readonly<Record<string, unknown>>) => {
  const uri = metadata["sector_identifier_uri"]
  const redirects = metadata["redirect_uris"]
  const redirectUris = Array.isArray(redirects) ? redirects.filter((r): r is string => typeof r === "string") : []
  return checkClientSector(typeof uri === "string" ? uri : null, redirectUris)
}
