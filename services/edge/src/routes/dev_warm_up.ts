/**
 * `POST /dev/warm-up` (benchmarks only, `npm run bench`): asks the ratelimit
 * service to ping the RateLimiterCounter shards named in the JSON body
 * (`{"shards": [3, 17]}`, default all), so the bench can measure a cold
 * shard's first request with and without a warm-up before it
 * (docs/performance.md "Shard warm-up"). A plain 404 unless the edge var
 * `BENCH_ROUTES` is "true" — and every `/dev/*` path is a 404 in production.
 */
import { env } from "cloudflare:workers"
import { makeClient, OAuthError, WarmUpContract } from "@authrim/contracts"
import { Effect } from "effect"
import type { ServiceEnv } from "../env.ts"
import { noStoreJson, oauthErrorJson } from "../http/oauth_json.ts"
import { notFound } from "./dev_rate_limit_check.ts"

const MAX_JSON_BYTES = 16_384

const invalid = (description: string) => new OAuthError({ code: "invalid_request", description })

/** `shards` of the JSON body: absent → every shard; otherwise a list of at most 1000 shard numbers. */
const readShards = (request: Request): Effect.Effect<ReadonlyArray<number> | undefined, OAuthError> =>
  Effect.tryPromise({ try: () => request.text(), catch: () => invalid("the body could not be read") }).pipe(
    Effect.flatMap((text) => {
      if (text.length > MAX_JSON_BYTES) return Effect.fail(invalid("the body is too large"))
      if (text.trim() === "") return Effect.succeed(undefined)
      let shards: unknown
      try {
        shards = (JSON.parse(text) as { shards?: unknown } | null)?.shards
      } catch {
        return Effect.fail(invalid("the body is not JSON"))
      }
      if (shards === undefined) return Effect.succeed(undefined)
      return Array.isArray(shards) && shards.length <= 1000 && shards.every((s) => Number.isInteger(s) && s >= 0)
        ? Effect.succeed(shards as ReadonlyArray<number>)
        : Effect.fail(invalid("shards must be a list of at most 1000 non-negative integers"))
    })
  )

/** The routed handler: 404 unless `BENCH_ROUTES` is "true". */
export const devWarmUp = (request: Request): Effect.Effect<Response> => {
  const edgeEnv = env as Partial<ServiceEnv>
  if (edgeEnv.BENCH_ROUTES !== "true" || edgeEnv.RATELIMIT === undefined) return Effect.succeed(notFound())
  const ratelimit = makeClient("ratelimit", WarmUpContract, edgeEnv.RATELIMIT)
  return readShards(request).pipe(
    Effect.flatMap((shards) => ratelimit.warmUp(shards === undefined ? {} : { shards })),
    Effect.map((result) => noStoreJson(result)),
    Effect.catch((failure) => Effect.succeed(oauthErrorJson(failure)))
  )
}
