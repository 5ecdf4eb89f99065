export default { async fetch(_req: Request, env: { KEYS: { ping(): Promise<string> } }) { return new Response(await env.KEYS.ping()) } }
