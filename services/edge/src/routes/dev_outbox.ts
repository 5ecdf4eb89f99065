/**
 * `GET /dev/outbox[?to=address]`: the development outbox. Only with
 * `AUTHRIM_ENV=development` (production: a plain 404 before this handler runs,
 * see index.ts), and there too a plain 404 unless the identity service's email
 * transport is `outbox` (identity answers `NotFound` then).
 */
import { Effect } from "effect"
import { Edge } from "../edge_layer.ts"
import type { RouteContext } from "../route_context.ts"
import { paramsFrom } from "../http/request_params.ts"
import { orErrorPage } from "../pages/error_page.ts"
import { outboxPage } from "../pages/outbox_page.ts"

const notFound = () =>
  new Response("Not found", { status: 404, headers: { "content-type": "text/plain; charset=utf-8", "x-content-type-options": "nosniff" } })

export const devOutbox = Effect.fnUntraced(function*(request: Request, ctx: RouteContext) {
  const { backends } = yield* Edge
  const params = yield* paramsFrom(new URL(request.url).searchParams)
  const to = params.get("to") ?? null
  return yield* backends.emailLogin.readOutbox({ to, limit: 50 }).pipe(
    Effect.map(({ messages }) => outboxPage(to, messages)),
    Effect.catchTag("NotFound", () => Effect.succeed(notFound()))
  )
}, orErrorPage)
