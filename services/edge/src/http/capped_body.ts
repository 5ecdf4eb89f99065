/**
 * Reads a request (or a fetched response) body up to a byte limit, stopping (and cancelling the
 * stream) as soon as it is exceeded — a declared `Content-Length` over the
 * limit is refused before reading anything, an undeclared or lying one after
 * at most `limit` + one chunk. Nothing beyond the limit is ever buffered.
 */
import { Effect, Schema } from "effect"

/** The body is larger than the limit (answer 413). */
export class BodyTooLarge extends Schema.TaggedError<BodyTooLarge>()("BodyTooLarge", { limit: Schema.Number }) {}
/** The body could not be read (a broken stream). */
export class BodyUnreadable extends Schema.TaggedError<BodyUnreadable>()("BodyUnreadable", {}) {}

const tooLarge = (limit: number) => new BodyTooLarge({ limit })

const read = async (request: Request | Response, limit: number): Promise<Uint8Array | BodyTooLarge> => {
  const declared = Number(request.headers.get("content-length") ?? "NaN")
  if (Number.isFinite(declared) && declared > limit) return tooLarge(limit)
  if (request.body === null) return new Uint8Array(0)
  const reader = request.body.getReader()
  const chunks: Array<Uint8Array> = []
  let total = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    total += value.byteLength
    if (total > limit) {
      await reader.cancel().catch(() => {})
      return tooLarge(limit)
    }
    chunks.push(value)
  }
  const body = new Uint8Array(total)
  let at = 0
  for (const chunk of chunks) {
    body.set(chunk, at)
    at += chunk.byteLength
  }
  return body
}

/** The body's bytes, at most `limit` of them (a request's, or a response the edge fetched). */
export const readCappedBody = (request: Request | Response, limit: number): Effect.Effect<Uint8Array, BodyTooLarge | BodyUnreadable> =>
  Effect.tryPromise({ try: () => read(request, limit), catch: () => new BodyUnreadable() }).pipe(
    Effect.flatMap((result) => (result instanceof Uint8Array ? Effect.succeed(result) : Effect.fail(result)))
  )
