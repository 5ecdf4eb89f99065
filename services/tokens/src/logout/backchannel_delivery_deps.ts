/** The back-channel consumer's dependencies from the worker env: the keys service, the real transport, the retry base. */
import { KeysContract, makeClient } from "@authrim/contracts"
import type { ServiceEnv } from "../env.ts"
import { postForm, retryBaseFrom, type DeliveryDeps } from "./deliver_backchannel.ts"

/** Live dependencies of `deliverBackchannelBatch`. */
export const backchannelDeliveryDeps = (env: ServiceEnv): DeliveryDeps => ({
  keys: makeClient("keys", KeysContract, env.KEYS),
  post: postForm,
  retryBaseSeconds: retryBaseFrom(env.BACKCHANNEL_RETRY_BASE_SECONDS)
})
