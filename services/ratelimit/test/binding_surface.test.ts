/**
 * Least privilege (issue 13 §2): each committed binding to authrim-ratelimit carries exactly the methods
 * its caller needs. A method added to an entrypoint, or a new binding, fails here until the owners of
 * this list agree (CODEOWNERS: the ratelimit team). The check is test-support/binding_surface.ts.
 */
import { env, WorkerEntrypoint } from "cloudflare:workers"
import { bindingSurfaceSuite, type AllowLists } from "../../../test-support/binding_surface.ts"
import * as worker from "../src/index.ts"

const allowLists: AllowLists = {
  /** Counting requests, back-off delays, health, shard warm-up (the dev route). */
  "authrim-edge RATELIMIT": [
    "backoff", "check", "checkMany", "health", "warmUp"
  ],
  /** The scale benchmark's driver (bench/scale, never deployed) fills one shard as the edge would. */
  "authrim-bench-scale-driver RATELIMIT": [
    "backoff", "check", "checkMany", "health", "warmUp"
  ]
}

bindingSurfaceSuite("authrim-ratelimit", env.SERVICE_BINDINGS_IN_REPO, worker, allowLists, WorkerEntrypoint)
