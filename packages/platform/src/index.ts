/**
 * @authrim/platform: small helpers every service needs, written once — no
 * Workers bindings, no service knowledge. (Contracts stay the only shared
 * description of the services; this package holds code, not contracts.)
 */
export * from "./aead_seal.ts"
export * from "./bytes.ts"
export * from "./constant_time.ts"
export * from "./digest.ts"
export * from "./purge_alarm.ts"
export * from "./stable_hash.ts"
export * from "./ulid.ts"
