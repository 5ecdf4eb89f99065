/**
 * One bounded GET of a document an RP hosts (a request object by reference,
 * a sector identifier document): one attempt, no retry, no redirect followed
 * (`redirect: "manual"`: a 3xx is just not 200), `timeoutMs` for all of it, at
 * most `maxBytes` read (capped_body.ts: streamed and cut off, never buffered
 * whole), UTF-8 text only. Each failure says what went wrong; the caller turns
 * it into its own OAuth error code.
 */
import { Effect, Schema } from "effect"
import { readCappedBody } from "./capped_body.ts"

/** Limits of one fetch. */
export interface CappedFetchLimits {
  readonly maxBytes: number
  readonly timeoutMs: number
  /** The `Accept` header. */
  readonly accept: string
}

/** Why the document could not be had: unreachable (or timed out before headers), a status other than 200, too large, unreadable, not UTF-8. */
export class CappedFetchFailed extends Schema.TaggedError<CappedFetchFailed>()("CappedFetchFailed", {
  kind: Schema.Literals(["unreachable", "status", "too_large", "unreadable", "not_utf8"]),
  /** The status answered (kind `status`). */
  status: Schema.optional(Schema.Number)
}) {}

/** The body of `url` as text (not trimmed). */
export const cappedFetchText = Effect.fnUntraced(function*(url: URL, limits: CappedFetchLimits): Effect.fn.Return<string, CappedFetchFailed> {
  const signal = AbortSignal.timeout(limits.timeoutMs)
  const response = yield* Effect.tryPromise({
    try: () => fetch(url.toString(), { method: "GET", redirect: "manual", signal, headers: { accept: limits.accept } }),
    catch: () => new CappedFetchFailed({ kind: "unreachable" })
  })
  if (response.status !== 200 || response.body === null) {
    yield* Effect.tryPromise(() => response.body?.cancel() ?? Promise.resolve()).pipe(Effect.ignore)
    return yield* new CappedFetchFailed({ kind: "status", status: response.status })
  }
  const bytes = yield* readCappedBody(response, limits.maxBytes).pipe(
    Effect.catchTags({
      BodyTooLarge: () => Effect.fail(new CappedFetchFailed({ kind: "too_large" })),
      BodyUnreadable: () => Effect.fail(new CappedFetchFailed({ kind: "unreadable" }))
    })
  )
  return yield* Effect.try({
    try: () => new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes),
    catch: () => new CappedFetchFailed({ kind: "not_utf8" })
  })
})
