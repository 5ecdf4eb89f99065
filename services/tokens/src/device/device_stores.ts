/**
 * `DeviceCodeStores`: the DeviceCodeStore namespace, provided from the worker
 * env by `tokensLayer` (tests provide the same from theirs). Kept apart from
 * `TokenStores` so the device grant adds a dependency instead of changing one.
 */
import { Context } from "effect"
import type { ServiceEnv } from "../env.ts"
import type { DeviceCodeStore } from "./device_code_store.ts"

export class DeviceCodeStores extends Context.Service<DeviceCodeStores, {
  /** The DeviceCodeStore shard with this name (`dc00`…`dc31`). */
  readonly deviceStore: (shard: string) => DurableObjectStub<DeviceCodeStore>
}>()("@authrim/tokens/DeviceCodeStores") {
  /** The live store of a worker env. */
  static fromEnv(env: ServiceEnv): DeviceCodeStores["Service"] {
    return DeviceCodeStores.of({
      deviceStore: (shard) => env.DEVICE_CODES.get(env.DEVICE_CODES.idFromName(shard))
    })
  }
}
