/** `max_age` (OIDC Core §3.1.2.1): a non-negative integer of seconds; 0 means "authenticate now". */
import { OAuthError } from "@authrim/contracts"
import { Effect } from "effect"

/** The maximum authentication age in seconds, or null when absent. */
export const checkMaxAge = (requested: string | undefined): Effect.Effect<number | null, OAuthError> => {
  if (requested === undefined) return Effect.succeed(null)
  if (!/^\d{1,10}$/.test(requested)) {
    return Effect.fail(new OAuthError({ code: "invalid_request", description: "max_age must be a non-negative integer" }))
  }
  return Effect.succeed(Number(requested))
}
