/** Rotation check (RPC `rotate` of `KeysAdmin` and the daily cron): rotates what is due, then drops this isolate's cached keys. */
import { Effect } from "effect"
import { callKeyManager } from "./key_manager_client.ts"
import { forgetSigningKeys } from "./signing_key_cache.ts"

export const rotateKeys = (force: boolean) =>
  callKeyManager("rotate", (km) => km.rotate(force)).pipe(Effect.tap(() => Effect.sync(forgetSigningKeys)))
