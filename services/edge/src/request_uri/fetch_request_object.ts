/**
 * Fetches one request object by reference (JAR RFC 9101 §5.2): one GET, no
 * retry, no redirect, `timeoutMs` for all of it, at most `maxBytes` read
 * (`http/capped_body.ts`: the body is streamed and cut off, never buffered whole). Every
 * failure is `invalid_request_uri` (RFC 9101 §10.2): the RP's host is
 * down, slow, too big, redirecting or answering something that is not a JWT.
 */
import { OAuthError } from "@authrim/contracts"
import { Effect } from "effect"
import { readCappedBody } from "../http/capped_body.ts"
import type { RequestUriSettings } from "./request_uri_settings.ts"

const invalidRequestUri = (description: string) => new OAuthError({ code: "invalid_request_uri", description })

/** The fetched body (the request object's compact JWS), trimmed. */
export const fetchRequestObject = Effect.fnUntraced(function*(url: URL, settings: RequestUriSettings) {
  const signal = AbortSignal.timeout(settings.timeoutMs)
  const response = yield* Effect.tryPromise({
    try: () => fetch(url.toString(), { method: "GET", redirect: "manual", signal, headers: { accept: "application/oauth-authz-req+jwt, application/jwt" } }),
    catch: () => invalidRequestUri("the request_uri could not be fetched")
  })
  if (response.status !== 200 || response.body === null) {
    yield* Effect.tryPromise(() => response.body?.cancel() ?? Promise.resolve()).pipe(Effect.ignore)
    return yield* invalidRequestUri(`the request_uri answered ${response.status}, not 200`)
  }
  const bytes = yield* readCappedBody(response, settings.maxBytes).pipe(
    Effect.catchTags({
      BodyTooLarge: () => Effect.fail(invalidRequestUri(`the request object is larger than ${settings.maxBytes} bytes`)),
      BodyUnreadable: () => Effect.fail(invalidRequestUri("the request object could not be read in time"))
    })
  )
  const text = yield* Effect.try({
    try: () => new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes),
    catch: () => invalidRequestUri("the request object is not UTF-8 text")
  })
  return text.trim()
})
