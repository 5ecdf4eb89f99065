/** Public surface of `@authrim/cost-meter`: the opt-in cost meter (see docs/cost.md). */
export * from "./cost_meter.ts"
export * from "./metered_bindings.ts"
export * from "./metered_object.ts"
export * from "./metered_durable_object.ts"
export * from "./metered_env.ts"
