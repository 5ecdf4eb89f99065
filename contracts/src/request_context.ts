/**
 * The request an RPC call serves, carried across every hop (issue 11 §2/§4):
 * the edge mints a request id per HTTP request and knows the client's IP and
 * user agent; `makeClient` sends them as the optional second argument of
 * every RPC method, `serve` provides them to the handler as `CurrentRequest`,
 * and the handler's own calls pass them on. Audit events and log lines read
 * them from there, so no contract input has to repeat them.
 *
 * Additive: an older caller sends no second argument (the handler sees
 * `null`), an older backend ignores it.
 */
import { Context, Schema } from "effect"

export const RequestMeta = Schema.Struct({
  requestId: Schema.NullOr(Schema.String),
  ip: Schema.NullOr(Schema.String),
  userAgent: Schema.NullOr(Schema.String)
})
export type RequestMeta = typeof RequestMeta.Type

/** The request being served, or null outside one (crons, queues, tests). */
export const CurrentRequest = Context.Reference<RequestMeta | null>("@authrim/contracts/CurrentRequest", {
  defaultValue: () => null
})

const decodeMeta = Schema.decodeUnknownOption(RequestMeta)

/** The meta of an incoming call: what the caller sent, when it is well-formed; anything else is null. */
export const requestMetaOf = (sent: unknown): RequestMeta | null => {
  if (sent === undefined || sent === null) return null
  const decoded = decodeMeta(sent)
  return decoded._tag === "Some" ? { ...decoded.value, userAgent: decoded.value.userAgent?.slice(0, 300) ?? null } : null
}
