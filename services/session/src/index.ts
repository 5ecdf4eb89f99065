import { WorkerEntrypoint } from "cloudflare:workers"
export class SessionService extends WorkerEntrypoint {}
export default { fetch: () => new Response("internal service", { status: 404 }) }
