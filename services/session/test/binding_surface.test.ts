/**
 * Least privilege (issue 13 §2): each committed binding to authrim-session carries exactly the methods
 * its caller needs. A method added to an entrypoint, or a new binding, fails here until the owners of
 * this list agree (CODEOWNERS: the session team). The check is test-support/binding_surface.ts.
 */
import { env, WorkerEntrypoint } from "cloudflare:workers"
import { bindingSurfaceSuite, type AllowLists } from "../../../test-support/binding_surface.ts"
import * as worker from "../src/index.ts"

const allowLists: AllowLists = {
  /** Sign-in sessions, logout, re-authentication, the account page's own sessions. */
  "authrim-edge SESSION": [
    "authenticate", "authenticateForClient", "create", "endSession", "endSessionsForUser", "get", "health", "listForUser", "recordClient",
    "recordReauthentication", "revoke"
  ],
  /** The admin API: a user's sessions, ending them all, unblocking a re-enabled user, the dashboard count. */
  "authrim-edge SESSION_ADMIN": ["allowNewSessions", "countActiveSessions", "endSessionsForUser", "listForUser", "revoke", "revokeForUser"],
  /** Other teams' Workers allowed to end a user's sessions (issue 13 §1, packages/client). */
  "public SessionsForWorkers": ["endUserSessions"],
  /** The scale benchmark's driver (bench/scale, never deployed) fills one shard as the edge would. */
  "authrim-bench-scale-driver SESSION": [
    "authenticate", "authenticateForClient", "create", "endSession", "endSessionsForUser", "get", "health", "listForUser", "recordClient",
    "recordReauthentication", "revoke"
  ]
}

bindingSurfaceSuite("authrim-session", env.SERVICE_BINDINGS_IN_REPO, worker, allowLists, WorkerEntrypoint)
