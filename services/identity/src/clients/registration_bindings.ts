/**
 * What dynamic client registration needs beyond `IdentityBindings`: the KV
 * namespace of initial access tokens. Its own service so the registration
 * programs state their dependency and tests provide it like the rest.
 */
import { Context, Layer } from "effect"
import type { ServiceEnv } from "../env.ts"

export class RegistrationKv extends Context.Service<RegistrationKv, {
  /** `iat:<hex sha256>` → the token's info (initial_access_token_store.ts). */
  readonly initialAccessTokens: KVNamespace
}>()("@authrim/identity/RegistrationKv") {}

/** `RegistrationKv` of `env`. */
export const registrationKvLayer = (env: ServiceEnv): Layer.Layer<RegistrationKv> =>
  Layer.succeed(RegistrationKv)({ initialAccessTokens: env.INITIAL_ACCESS_TOKENS })
