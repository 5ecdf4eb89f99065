/**
 * `response_mode`: `query` (the default for `code`, OAuth 2.0 Multiple
 * Response Types §2.1) or `form_post`, and their JARM forms `query.jwt` and
 * `form_post.jwt`; `jwt` is the default JWT mode of the response type, for
 * `code` `query.jwt` (JARM §2.3.4). `fragment` (and `fragment.jwt`) is
 * refused: a code never travels in a fragment here.
 */
import { OAuthError } from "@authrim/contracts"
import { Effect } from "effect"
import type { ResponseMode } from "./pending_authorization.ts"

/** The response mode, or `invalid_request` for any other value. */
export const checkResponseMode = (requested: string | undefined): Effect.Effect<ResponseMode, OAuthError> => {
  if (requested === undefined || requested === "query") return Effect.succeed("query")
  if (requested === "form_post" || requested === "query.jwt" || requested === "form_post.jwt") return Effect.succeed(requested)
  if (requested === "jwt") return Effect.succeed("query.jwt")
  return Effect.fail(new OAuthError({ code: "invalid_request", description: "response_mode must be query, form_post, jwt, query.jwt or form_post.jwt" }))
}
