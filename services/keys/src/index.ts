import { DurableObject, WorkerEntrypoint } from "cloudflare:workers"
import { Effect } from "effect"

export class KeyManager extends DurableObject {
  async ping(): Promise<string> {
    this.ctx.storage.sql.exec("CREATE TABLE IF NOT EXISTS t (x INTEGER)")
    return Effect.runPromise(Effect.succeed("pong"))
  }
}
export class KeysService extends WorkerEntrypoint<{ KEY_MANAGER: DurableObjectNamespace<KeyManager> }> {
  async ping(): Promise<string> {
    return this.env.KEY_MANAGER.get(this.env.KEY_MANAGER.idFromName("singleton")).ping()
  }
}
export default { fetch: () => new Response("keys: internal service", { status: 404 }) }
