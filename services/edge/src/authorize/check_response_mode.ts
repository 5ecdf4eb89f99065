/**
 * `response_mode`: `query` (the default for `code`, OAuth 2.0 Multiple
 * Response Types §2.1) or `form_post`. `fragment` is refused: a code never
 * travels in a fragment here.
 */
import { OAuthError } from "@authrim/contracts"
import { Effect } from "effect"
import type { ResponseMode } from "./pending_authorization.ts"

/** The response mode, or `invalid_request` for any other value. */
export const checkResponseMode = (requested: string | undefined): Effect.Effect<ResponseMode, OAuthError> => {
  if (requested === undefined || requested === "query") return Effect.succeed("query")
  if (requested === "form_post") return Effect.succeed("form_post")
  return Effect.fail(new OAuthError({ code: "invalid_request", description: "response_mode must be query or form_post" }))
}
