/**
 * `prompt` (OIDC Core §3.1.2.1): a space-separated set of `none`, `login`,
 * `consent`, `select_account`. `none` with any other value is
 * `invalid_request`; an unknown value too. `select_account` is honoured by
 * asking for a fresh login (a browser holds one session here).
 */
import { OAuthError } from "@authrim/contracts"
import { Effect } from "effect"

/** The prompt values this provider understands (also published in discovery). */
export const PROMPT_VALUES = ["none", "login", "consent", "select_account"] as const

/** The requested prompt values, de-duplicated. */
export const checkPrompt = (requested: string | undefined): Effect.Effect<ReadonlyArray<string>, OAuthError> => {
  if (requested === undefined) return Effect.succeed([])
  const values = [...new Set(requested.split(" ").filter((v) => v !== ""))]
  const known: ReadonlyArray<string> = PROMPT_VALUES
  const unknown = values.find((v) => !known.includes(v))
  if (unknown !== undefined) {
    return Effect.fail(new OAuthError({ code: "invalid_request", description: "prompt contains an unsupported value" }))
  }
  if (values.includes("none") && values.length > 1) {
    return Effect.fail(new OAuthError({ code: "invalid_request", description: "prompt=none cannot be combined with other values" }))
  }
  return Effect.succeed(values)
}
