/**
 * How a deployment environment names what it owns on Cloudflare. Names are the
 * only key setup finds resources by (ids are looked up, never typed), so they
 * are a pure function of the environment name and never change between runs.
 */

/** The six workers in deploy order: a backend is deployed before any worker that binds it (the edge binds all). */
export const deployOrder = ["keys", "ratelimit", "session", "identity", "tokens", "edge"] as const
/** A service by its directory name under `services/`. */
export type ServiceName = (typeof deployOrder)[number]

/** The environment `npm run setup` / `npm run deploy` use without `--env`. */
export const defaultEnvironment = "production"

/** An environment name must be usable inside every resource name (D1, KV titles, R2 buckets, queues, workers). */
export const checkEnvironmentName = (env: string): string => {
  if (!/^[a-z][a-z0-9-]{0,30}$/.test(env)) throw new Error(`--env ${JSON.stringify(env)}: use lower-case letters, digits and dashes (≤ 31 characters)`)
  return env
}

/**
 * The deployed name of a committed worker name (`authrim-edge`): unchanged in
 * production, suffixed elsewhere (`authrim-edge-staging`), so two environments
 * can live in one account. Service bindings are rewritten with the same rule.
 */
export const workerNameIn = (env: string, committedName: string): string =>
  env === defaultEnvironment ? committedName : `${committedName}-${env}`

/** An Analytics Engine dataset of an environment: the committed name in production, `<name>_<env>` otherwise (datasets are per account). */
export const datasetNameIn = (env: string, committedName: string): string =>
  env === defaultEnvironment ? committedName : `${committedName}_${env.replace(/[^A-Za-z0-9_]/g, "_")}`

/** The D1 database of an environment: `authrim-{env}` (DESIGN §2). */
export const databaseNameIn = (env: string): string => `authrim-${env}`

/** A KV namespace title, R2 bucket or queue of an environment: `authrim-{env}-{what}`. */
export const resourceNameIn = (env: string, what: string): string => `authrim-${env}-${what}`

/** The dead-letter queue of a queue: where a message goes after the consumer's `max_retries`. */
export const deadLetterQueueOf = (queueName: string): string => `${queueName}-dlq`
