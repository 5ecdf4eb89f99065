/** The bare Worker of the bench: no routing, no storage, one small JSON body (the ceiling of one request). */
export default {
  fetch: () => Response.json({ sub: "bench" })
} satisfies ExportedHandler
