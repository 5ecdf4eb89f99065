/**
 * First phase of `/authorize`: establish whether the RP can be trusted with a
 * redirect at all — a known client and an exactly registered redirect_uri.
 * Until this succeeds every error is an HTML page (RFC 6749 §4.1.2.1: "MUST
 * NOT automatically redirect the user-agent to the invalid redirection URI").
 */
import { OAuthError, type Client, type EdgeFailure } from "@authrim/contracts"
import { Effect } from "effect"
import { Edge } from "../edge_layer.ts"
import { MAX_PARAM_LENGTH } from "../http/request_params.ts"
import { checkRedirectUri } from "./check_redirect_uri.ts"
import { checkResponseMode } from "./check_response_mode.ts"
import type { RedirectTarget } from "./pending_authorization.ts"

/** The client and where its responses go. */
export interface ResolvedTarget {
  readonly client: Client
  readonly target: RedirectTarget
}

/** The single value of `name`; a duplicate fails (RFC 6749 §3.1), an empty value counts as absent. */
const single = (search: URLSearchParams, name: string): Effect.Effect<string | undefined, OAuthError> => {
  const values = search.getAll(name)
  if (values.length > 1) return Effect.fail(new OAuthError({ code: "invalid_request", description: `parameter ${name} is included more than once` }))
  const value = values[0]
  if (value !== undefined && value.length > MAX_PARAM_LENGTH) {
    return Effect.fail(new OAuthError({ code: "invalid_request", description: `parameter ${name} is too long` }))
  }
  return Effect.succeed(value === "" ? undefined : value)
}

/** Resolves client, redirect_uri, response_mode and state; failures are for an error page. */
export const resolveRedirectTarget = Effect.fnUntraced(function*(search: URLSearchParams): Effect.fn.Return<ResolvedTarget, EdgeFailure, Edge> {
  const { backends } = yield* Edge
  const clientId = yield* single(search, "client_id")
  if (clientId === undefined) return yield* new OAuthError({ code: "invalid_request", description: "client_id is required" })
  const client = yield* backends.identity.getClient({ clientId }).pipe(
    Effect.catchTag("NotFound", () => Effect.fail(new OAuthError({ code: "invalid_request", description: "unknown client_id" })))
  )
  const redirectUri = yield* checkRedirectUri(client, yield* single(search, "redirect_uri"))
  // A bad response_mode or state is reported to the (now trusted) redirect_uri in query mode, without state.
  const responseMode = yield* Effect.orElseSucceed(Effect.flatMap(single(search, "response_mode"), checkResponseMode), () => "query" as const)
  const state = yield* Effect.orElseSucceed(single(search, "state"), () => undefined)
  return { client, target: { clientId: client.clientId, redirectUri, responseMode, state: state ?? null } }
})
