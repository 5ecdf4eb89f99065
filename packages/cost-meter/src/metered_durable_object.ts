/**
 * The one base class of our Durable Objects for the cost meter: it gives
 * every object the `meteredCall` entry a metered stub calls
 * (metered_object.ts), instead of a copy of it in each class. The entry costs
 * nothing until a metering caller uses it; the object's constructor still
 * wraps its own bindings with `meteredEnv` (metered_env.ts), which is `env`
 * itself while the meter is off.
 */
import { DurableObject } from "cloudflare:workers"
import { runMeteredCall, type MeteredAnswer } from "./metered_object.ts"

/** `DurableObject` plus the cost meter's entry. */
export abstract class MeteredDurableObject<Env = Cloudflare.Env> extends DurableObject<Env> {
  /** Cost-meter entry: runs one of this object's methods and answers its value with what it cost. */
  meteredCall(method: string, args: Array<unknown>): Promise<MeteredAnswer> {
    return runMeteredCall(this, this.ctx.storage, method, args)
  }

  /** Health probe (contracts/src/health.ts): answers without touching storage, so reaching the object is all it proves. */
  ping(): string {
    return "ok"
  }
}
