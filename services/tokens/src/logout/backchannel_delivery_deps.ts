/** The back-channel consumer's dependencies from the worker env: the keys service, the real transport, the retry base. */
import { makeClient } from "@authrim/contracts"
import { Layer } from "effect"
import type { ServiceEnv } from "../env.ts"
import { BackchannelDelivery, postForm, retryBaseFrom } from "./deliver_backchannel.ts"
import { keysForTokens } from "../token_stores.ts"

/** Live `BackchannelDelivery` of a worker env (the queue handler provides it once per batch, at its boundary). */
export const backchannelDeliveryLayer = (env: ServiceEnv): Layer.Layer<BackchannelDelivery> =>
  Layer.succeed(BackchannelDelivery)({
    keys: makeClient("keys", keysForTokens, env.KEYS),
    post: postForm,
    retryBaseSeconds: retryBaseFrom(env.BACKCHANNEL_RETRY_BASE_SECONDS)
  })
