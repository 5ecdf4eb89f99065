/**
 * TEST-ONLY: a relying party's web server for request objects by reference
 * (JAR RFC 9101 §5.2), a real Node HTTP server on 127.0.0.1 started by the
 * edge's vitest config; the edge fetches from it over the network like from
 * any RP. Tests store objects and read fetch counts over HTTP:
 * - `PUT /o/<id>` stores the body; `GET /o/<id>` serves it (`application/oauth-authz-req+jwt`)
 *   and counts the fetch; `GET /count/<id>` answers the count;
 * - `GET /slow/<id>` serves it after 7 s; `GET /redirect/<id>` is a 302 to `/o/<id>`;
 *   `GET /big` is 80 KiB; anything else is 404.
 */
import http from "node:http"

/** Starts the host; resolves with its origin (`http://127.0.0.1:<port>`). The server does not keep the process alive. */
export const startRequestObjectHost = async (): Promise<string> => {
  const objects = new Map<string, string>()
  const counts = new Map<string, number>()
  const serve = (res: http.ServerResponse, id: string) => {
    const body = objects.get(id)
    if (body === undefined) return res.writeHead(404).end()
    counts.set(id, (counts.get(id) ?? 0) + 1)
    res.writeHead(200, { "content-type": "application/oauth-authz-req+jwt" }).end(body)
  }
  const server = http.createServer((req, res) => {
    const [, kind = "", id = ""] = (req.url ?? "/").split("/")
    if (req.method === "PUT" && kind === "o") {
      let text = ""
      req.setEncoding("utf8")
      req.on("data", (chunk: string) => (text += chunk))
      req.on("end", () => {
        objects.set(id, text)
        res.writeHead(204).end()
      })
      return
    }
    if (kind === "o") return serve(res, id)
    if (kind === "count") return res.writeHead(200, { "content-type": "text/plain" }).end(String(counts.get(id) ?? 0))
    if (kind === "slow") return void setTimeout(() => serve(res, id), 7000).unref()
    if (kind === "redirect") return res.writeHead(302, { location: `/o/${id}` }).end()
    if (kind === "big") return res.writeHead(200, { "content-type": "application/oauth-authz-req+jwt" }).end("a".repeat(80 * 1024))
    res.writeHead(404).end()
  })
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject)
    server.listen(0, "127.0.0.1", () => resolve())
  })
  server.unref()
  const address = server.address()
  if (typeof address !== "object" || address === null) throw new Error("request object host has no port")
  return `http://127.0.0.1:${address.port}`
}
