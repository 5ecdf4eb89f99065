/**
 * Fetches one request object by reference (JAR RFC 9101 §5.2): one GET, no
 * retry, no redirect, `timeoutMs` for all of it, at most `maxBytes` read
 * (the body is streamed and cut off, never buffered whole first). Every
 * failure is `invalid_request_uri` (RFC 9101 §10.2): the RP's host is
 * down, slow, too big, redirecting or answering something that is not a JWT.
 */
import { OAuthError } from "@authrim/contracts"
import { Effect } from "effect"
import type { RequestUriSettings } from "./request_uri_settings.ts"

const invalidRequestUri = (description: string) => new OAuthError({ code: "invalid_request_uri", description })

/** Reads at most `maxBytes` of `body`; null when it is longer. */
const readBounded = async (body: ReadableStream<Uint8Array>, maxBytes: number): Promise<string | null> => {
  const reader = body.getReader()
  const chunks: Uint8Array[] = []
  let size = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    size += value.byteLength
    if (size > maxBytes) {
      await reader.cancel()
      return null
    }
    chunks.push(value)
  }
  const bytes = new Uint8Array(size)
  let offset = 0
  for (const chunk of chunks) {
    bytes.set(chunk, offset)
    offset += chunk.byteLength
  }
  return new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes)
}

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
  const declared = Number(response.headers.get("content-length") ?? "0")
  if (declared > settings.maxBytes) {
    yield* Effect.tryPromise(() => response.body!.cancel()).pipe(Effect.ignore)
    return yield* invalidRequestUri(`the request object is larger than ${settings.maxBytes} bytes`)
  }
  const body = response.body
  const text = yield* Effect.tryPromise({ try: () => readBounded(body, settings.maxBytes), catch: () => invalidRequestUri("the request object could not be read (too slow, or not UTF-8)") })
  if (text === null) return yield* invalidRequestUri(`the request object is larger than ${settings.maxBytes} bytes`)
  return text.trim()
})
