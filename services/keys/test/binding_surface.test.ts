/**
 * Least privilege (issue 13 §2): each committed binding to authrim-keys carries exactly the methods its
 * caller needs — the edge's `KEYS` cannot sign, only the admin API's `KEYS_ADMIN` rotates, and tokens signs
 * only the token kinds keys knows (`signTokens`). A method added to an entrypoint, or a new binding, fails
 * here until the owners of this list agree (CODEOWNERS: the keys team). The check is test-support/binding_surface.ts.
 */
import { env, WorkerEntrypoint } from "cloudflare:workers"
import { bindingSurfaceSuite, type AllowLists } from "../../../test-support/binding_surface.ts"
import * as worker from "../src/index.ts"

const allowLists: AllowLists = {
  /** The JWKS the edge publishes, and deep health. No signing. */
  "authrim-edge KEYS": ["getJwks", "health"],
  /** The admin API (services/edge/src/admin only): key metadata and rotation. */
  "authrim-edge KEYS_ADMIN": ["listKeys", "rotate"],
  /** Tokens signs ID, access and logout tokens (typed, claims checked here) and verifies with the JWKS. */
  "authrim-tokens KEYS": ["getJwks", "signTokens"]
}

bindingSurfaceSuite("authrim-keys", env.SERVICE_BINDINGS_IN_REPO, worker, allowLists, WorkerEntrypoint)
