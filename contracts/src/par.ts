/**
 * Pushed Authorization Requests (RFC 9126), implemented by `TokensService`
 * beside its own contract. The edge authenticates the client and validates
 * the request exactly as `/authorize` would, then pushes the parameters here;
 * `/authorize?client_id=…&request_uri=…` consumes them once.
 *
 * The `request_uri` (`urn:ietf:params:oauth:request_uri:par<NN>_<secret>`)
 * names its `PARRequestStore` shard (`par<NN>`) and is a bearer reference to
 * the pushed request: it is stored only as a SHA-256 hash, is single use, and
 * is bound to the client that pushed it.
 */
import { Schema } from "effect"
import { OAuthError, Unavailable } from "./errors.ts"
import { rpcMethod, type RpcInterface } from "./rpc.ts"
import { contractVersion } from "./contract_version.ts"

/** RFC 9126 §2.2: the `request_uri` prefix the provider mints (its own URN namespace is "par"). */
export const PAR_REQUEST_URI_PREFIX = "urn:ietf:params:oauth:request_uri:"

/** Longest lifetime a pushed request may have (seconds). RFC 9126 §2.2 suggests short; 600 s is the hard cap here. */
export const PAR_MAX_TTL_SECONDS = 600

/** Default lifetime of a pushed request (seconds): enough for a redirect, short enough for a bearer reference. */
export const PAR_DEFAULT_TTL_SECONDS = 90

/** Authorization request parameters as pushed (one value per name; client credentials already removed). */
export const PushedParameters = Schema.Record(Schema.String, Schema.String)
/** Type of {@link PushedParameters}. */
export type PushedParameters = typeof PushedParameters.Type

const ParFailure = Schema.Union([OAuthError, Unavailable])

/** Method schemas of PAR. */
export const ParContract = {
  /**
   * Stores a validated authorization request for the authenticated client and
   * mints its `request_uri`. `ttlSeconds` is clamped to 1…600 (absent: 90);
   * `expiresIn` is the lifetime actually applied, for the response's `expires_in`.
   */
  pushAuthorizationRequest: rpcMethod(
    Schema.Struct({
      clientId: Schema.String,
      parameters: PushedParameters,
      ttlSeconds: Schema.optional(Schema.Number)
    }),
    Schema.Struct({ requestUri: Schema.String, expiresIn: Schema.Number }),
    ParFailure
  ),
  /**
   * Loads and consumes a pushed request in one atomic step: of any number of
   * concurrent uses exactly one gets the parameters. An unknown, expired,
   * already used, or another client's `request_uri` is `invalid_request_uri`
   * (another client's attempt does not consume it).
   */
  consumePushedRequest: rpcMethod(
    Schema.Struct({ requestUri: Schema.String, clientId: Schema.String }),
    Schema.Struct({ parameters: PushedParameters }),
    ParFailure
  )
} as const
export const ParContractVersion = contractVersion(ParContract, { name: "par", version: 1 })

/** RPC interface of PAR on `TokensService`. */
export type ParRpc = RpcInterface<typeof ParContract>
