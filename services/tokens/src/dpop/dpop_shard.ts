/**
 * Shard of DPoPJTIStore: `dj<NN>`, NN = stableHash32(jkt) mod 32. Routed by
 * the proof key's thumbprint (known to the caller after verifying the proof),
 * so every proof of one key meets the same object; treat it as a wire format.
 */
import { stableHash32 } from "@authrim/platform"

/** Number of DPoPJTIStore shards. */
export const dpopJtiShardCount = 32

/** Index (0..31) of the jti shard of a key thumbprint. */
export const dpopJtiShardIndex = (jkt: string): number => stableHash32(jkt) % dpopJtiShardCount

/** DPoPJTIStore object name for a key thumbprint. */
export const dpopJtiShardName = (jkt: string): string => `dj${dpopJtiShardIndex(jkt).toString().padStart(2, "0")}`
