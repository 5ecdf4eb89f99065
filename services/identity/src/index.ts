import { WorkerEntrypoint } from "cloudflare:workers"
export class IdentityService extends WorkerEntrypoint {}
export default { fetch: () => new Response("internal service", { status: 404 }) }
