/**
 * Errors the client adds to the contracts' own (AccessTokenRefused, NotFound,
 * Unavailable, Misconfigured, RpcFailure): a request without credentials, and
 * a method whose binding the Worker does not have.
 */
import { Schema } from "effect"

/**
 * The request carries no access token (no `Authorization: Bearer|DPoP`).
 * RFC 6750 §3.1: answered 401 with a challenge but no error code.
 */
export class AccessTokenMissing extends Schema.TaggedError<AccessTokenMissing>()("AccessTokenMissing", {}) {}

/** The method needs a binding `makeAuthrimClient` was not given (e.g. `directory` for getPublicProfile). */
export class BindingMissing extends Schema.TaggedError<BindingMissing>()("BindingMissing", {
  /** Which binding: "directory" | "sessions". */
  binding: Schema.String
}) {}
