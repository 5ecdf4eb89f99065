/**
 * What an Authrim environment needs on Cloudflare (DESIGN §2, §5), by binding
 * name. Setup creates all of it, bound or not yet bound: a binding a service
 * adds later (e.g. the audit queue of issue 11 §2) then finds its resource.
 */
import { databaseNameIn, deadLetterQueueOf, resourceNameIn } from "./deployment_names.ts"

/** A D1 database: one per environment, bound as `DB`. */
export interface DesiredDatabase { readonly binding: string; readonly name: string }
/** A KV namespace, found by its title. */
export interface DesiredNamespace { readonly binding: string; readonly title: string }
/** An R2 bucket, found by its name. */
export interface DesiredBucket { readonly binding: string; readonly name: string }
/**
 * A queue and its dead-letter queue. `committedName` is the name the committed
 * wrangler.jsonc files use (producers and consumers), rewritten per environment.
 */
export interface DesiredQueue { readonly committedName: string; readonly name: string; readonly deadLetterName: string }

/** Every resource of one environment. */
export interface DesiredResources {
  readonly database: DesiredDatabase
  readonly namespaces: ReadonlyArray<DesiredNamespace>
  readonly buckets: ReadonlyArray<DesiredBucket>
  readonly queues: ReadonlyArray<DesiredQueue>
}

/** KV namespaces (DESIGN §2 "KV"): binding → title suffix. */
const namespaceBindings = {
  CLIENTS: "clients",
  INITIAL_ACCESS_TOKENS: "initial-access-tokens",
  SETTINGS: "settings",
  STATE_STORE: "state-store",
  NONCE_STORE: "nonce-store"
} as const

/** R2 buckets (DESIGN §2 "R2"): binding → bucket suffix. */
const bucketBindings = { AVATARS: "avatars", AUDIT_ARCHIVE: "audit-archive" } as const

/** Queues: the committed queue name → the environment's suffix. */
const committedQueues = {
  /** DESIGN §2 "Queue" (`AUDIT_QUEUE`), consumed by identity. */
  "authrim-audit": "audit",
  /** OIDC Back-Channel Logout 1.0: produced and consumed by tokens (services/tokens/wrangler.jsonc). */
  "authrim-backchannel-logout": "backchannel-logout"
} as const

/** The resources of environment `env`. */
export const desiredResources = (env: string): DesiredResources => ({
  database: { binding: "DB", name: databaseNameIn(env) },
  namespaces: Object.entries(namespaceBindings).map(([binding, what]) => ({ binding, title: resourceNameIn(env, what) })),
  buckets: Object.entries(bucketBindings).map(([binding, what]) => ({ binding, name: resourceNameIn(env, what) })),
  queues: Object.entries(committedQueues).map(([committedName, what]) => {
    const name = resourceNameIn(env, what)
    return { committedName, name, deadLetterName: deadLetterQueueOf(name) }
  })
})
