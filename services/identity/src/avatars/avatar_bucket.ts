/** The R2 bucket `AVATARS` as an Effect service (absent binding: every avatar method answers `Unavailable`). */
import { Unavailable } from "@authrim/contracts"
import { Context, Effect, Layer } from "effect"
import type { ServiceEnv } from "../env.ts"

export class AvatarBucket extends Context.Service<AvatarBucket, R2Bucket | undefined>()("@authrim/identity/AvatarBucket") {}

export const avatarBucketLayer = (env: ServiceEnv): Layer.Layer<AvatarBucket> => Layer.succeed(AvatarBucket)(env.AVATARS)

/** The bucket, or `Unavailable` when this worker has none bound. */
export const avatarBucket: Effect.Effect<R2Bucket, Unavailable, AvatarBucket> = AvatarBucket.use((bucket) =>
  bucket === undefined ? Effect.fail(new Unavailable({ service: "identity", reason: "no AVATARS bucket is bound" })) : Effect.succeed(bucket))

/** One R2 call; a rejection is `Unavailable` naming the operation. */
export const tryR2 = <A>(operation: string, run: () => Promise<A>): Effect.Effect<A, Unavailable> =>
  Effect.tryPromise({ try: run, catch: (cause) => new Unavailable({ service: "identity", reason: `R2 ${operation}: ${String(cause)}` }) })
