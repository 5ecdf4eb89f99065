/**
 * Fetches one request object by reference (JAR RFC 9101 §5.2): one GET, no
 * retry, no redirect, `timeoutMs` for all of it, at most `maxBytes` read
 * (`http/capped_fetch.ts`: the body is streamed and cut off, never buffered whole). Every
 * failure is `invalid_request_uri` (RFC 9101 §10.2): the RP's host is
 * down, slow, too big, redirecting or answering something that is not a JWT.
 */
import { OAuthError } from "@authrim/contracts"
import { Effect } from "effect"
import { cappedFetchText, type CappedFetchFailed } from "../http/capped_fetch.ts"
import type { RequestUriSettings } from "./request_uri_settings.ts"

const invalidRequestUri = (description: string) => new OAuthError({ code: "invalid_request_uri", description })

const describe = (failure: CappedFetchFailed, maxBytes: number): string => {
  switch (failure.kind) {
    case "unreachable": return "the request_uri could not be fetched"
    case "status": return `the request_uri answered ${failure.status ?? 0}, not 200`
    case "too_large": return `the request object is larger than ${maxBytes} bytes`
    case "unreadable": return "the request object could not be read in time"
    case "not_utf8": return "the request object is not UTF-8 text"
  }
}

/** The fetched body (the request object's compact JWS), trimmed. */
export const fetchRequestObject = Effect.fnUntraced(function*(url: URL, settings: RequestUriSettings) {
  const text = yield* cappedFetchText(url, {
    maxBytes: settings.maxBytes, timeoutMs: settings.timeoutMs, accept: "application/oauth-authz-req+jwt, application/jwt"
  }).pipe(Effect.mapError((failure) => invalidRequestUri(describe(failure, settings.maxBytes))))
  return text.trim()
})
