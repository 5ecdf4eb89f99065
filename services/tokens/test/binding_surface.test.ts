/**
 * Least privilege (issue 13 §2): each committed binding to authrim-tokens carries exactly the methods
 * its caller needs. A method added to an entrypoint, or a new binding, fails here until the owners of
 * this list agree (CODEOWNERS: the tokens team). The check is test-support/binding_surface.ts.
 */
import { env, WorkerEntrypoint } from "cloudflare:workers"
import { bindingSurfaceSuite, type AllowLists } from "../../../test-support/binding_surface.ts"
import * as worker from "../src/index.ts"

const allowLists: AllowLists = {
  /** The token, PAR, device, DPoP and logout endpoints; revoking what a session, a user's sessions or a deleted client held; JARM / RFC 9701 response JWTs; RFC 8693 token exchange. */
  "authrim-edge TOKENS": [
    "checkAccessTokenUse", "checkDpopProof", "clientCredentials", "consumePushedRequest", "createAuthorizationCode",
    "decideDeviceCode", "describeDeviceCode", "exchangeAuthorizationCode", "exchangeToken", "health", "introspect", "pairwiseSubject", "pollDeviceCode",
    "pushAuthorizationRequest", "queueBackchannelLogout", "refresh", "revoke", "revokeAllForUser", "revokeClientTokens",
    "revokeFamiliesForSession", "signAuthorizationResponse", "signIntrospectionResponse", "startDeviceAuthorization",
    "verifyAccessToken", "verifyIdTokenHint"
  ],
  /** The example resource server (examples/resource-server): verifying and introspecting access tokens. */
  "authrim-example-notes AUTHRIM": [
    "introspect", "verifyAccessToken"
  ],
  /** The admin API: revoking the refresh token families of a user's consent to one client. */
  "authrim-edge TOKENS_ADMIN": [
    "revokeFamiliesForClient"
  ]
}

bindingSurfaceSuite("authrim-tokens", env.SERVICE_BINDINGS_IN_REPO, worker, allowLists, WorkerEntrypoint)
