/**
 * `@authrim/client`: use Authrim from your Worker (issue 13 §1). Bind the
 * consumer entrypoints, make a client, verify tokens, protect routes, read the
 * directory, end sessions — see README.md.
 */
export {
  AccessTokenRefused, DirectoryContract, NotFound, Misconfigured, ResourceServerContract, RpcFailure, SessionsForWorkersContract, Unavailable,
  type AuditActor, type DirectoryRpc, type Introspection, type PresentedScheme, type PublicProfile, type ResourceDpopProof,
  type ResourceErrorCode, type ResourceServerRpc, type SessionsForWorkersRpc, type VerifiedAccessToken
} from "@authrim/contracts"
export { makeAuthrimClient, type AuthrimBindings, type AuthrimClient, type AuthrimEffectClient, type CallFailure, type VerifyOptions, type VerifyRequestOptions } from "./authrim_client.ts"
export { AccessTokenMissing, BindingMissing } from "./client_errors.ts"
export { challengeOf, missingTokenResponse, refusalResponse } from "./challenge_response.ts"
export { presentedCredentials, type PresentedCredentials } from "./presented_credentials.ts"
export { promiseClient, protect, type AuthrimPromiseClient, type ProtectOptions } from "./promise_boundary.ts"
