/**
 * A setting some methods need (the MFA key, the relying party, the email
 * transport), decided once per isolate when the service layer is built: the
 * value, or the `Misconfigured` naming what is missing or refused. It is held
 * as that finished outcome rather than failing the layer, so only the methods
 * that use it fail — a missing MFA key refuses TOTP, not password sign-in.
 * A program reads it with `yield* Tag.use(identity)` (see each setting's accessor)
 * first thing, before it reads or writes anything.
 */
import type { Misconfigured } from "@authrim/contracts"
import { Effect, Layer, type Context } from "effect"

/** The outcome of a setting: succeeds with the value, or fails with the `Misconfigured` decided at layer build. */
export type Configured<A> = Effect.Effect<A, Misconfigured>

/** A layer providing `tag` as the outcome of `setting`, evaluated once (the layer itself never fails). */
export const configuredLayer = <I, A>(tag: Context.Key<I, Configured<A>>, setting: Effect.Effect<A, Misconfigured>): Layer.Layer<I> =>
  Layer.effect(tag, Effect.exit(setting))

/** A layer providing `tag` as a value that is there (tests, and settings already checked). */
export const configuredValueLayer = <I, A>(tag: Context.Key<I, Configured<A>>, value: A): Layer.Layer<I> =>
  Layer.succeed(tag)(Effect.succeed(value))
