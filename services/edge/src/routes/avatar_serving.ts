/**
 * `GET|HEAD /avatars/<name>`: an avatar image (issue 12 §4), read from the
 * identity service (R2 `AVATARS`). Names are content-addressed
 * (`<64 hex>.<ext>`), so the answer is immutable: cached for a year, with the
 * hash as a strong ETag — a matching `If-None-Match` is a 304 at once, without
 * a backend call. Unknown or malformed names are a plain 404. The image is
 * sent with `nosniff`, a CSP that runs nothing and CORP `cross-origin` (RPs
 * embed the `picture` URL in their own pages).
 */
import { Effect } from "effect"
import { Edge } from "../edge_layer.ts"

/** Path prefix of avatar URLs (the `picture` claim: `<issuer>/avatars/<name>`). */
export const AVATAR_PATH = "/avatars/"

const NAME = /^([0-9a-f]{64})\.(jpg|png|gif|webp)$/
const TYPES: Readonly<Record<string, string>> = { jpg: "image/jpeg", png: "image/png", gif: "image/gif", webp: "image/webp" }

const plain = (status: number, text: string) =>
  new Response(text, { status, headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store", "x-content-type-options": "nosniff" } })

const imageHeaders = (etag: string, contentType: string): Record<string, string> => ({
  "content-type": contentType,
  "cache-control": "public, max-age=31536000, immutable",
  etag,
  "x-content-type-options": "nosniff",
  "content-security-policy": "default-src 'none'; sandbox",
  "cross-origin-resource-policy": "cross-origin"
})

/** Whether `If-None-Match` names `etag` (or is `*`), weak or strong (RFC 9110 §13.1.2: weak comparison). */
const matches = (header: string | null, etag: string): boolean =>
  header !== null && header.split(",").map((t) => t.trim().replace(/^W\//, "")).some((t) => t === etag || t === "*")

/** The routed handler (a prefix route: the name is the rest of the path). */
export const avatarImage = (request: Request): Effect.Effect<Response, never, Edge> => {
  const match = NAME.exec(new URL(request.url).pathname.slice(AVATAR_PATH.length))
  if (match === null) return Effect.succeed(plain(404, "Not found"))
  const etag = `"${match[1]}"`
  const contentType = TYPES[match[2]!]!
  if (matches(request.headers.get("if-none-match"), etag)) {
    return Effect.succeed(new Response(null, { status: 304, headers: imageHeaders(etag, contentType) }))
  }
  return Edge.use(({ backends }) => backends.avatars.getAvatar({ name: match[0] })).pipe(
    Effect.map(({ image }) =>
      new Response(request.method === "HEAD" ? null : image, { status: 200, headers: { ...imageHeaders(etag, contentType), "content-length": String(image.byteLength) } })),
    Effect.catch((failure) => Effect.succeed(failure._tag === "NotFound" ? plain(404, "Not found") : plain(503, "Temporarily unavailable")))
  )
}
