/** `response_type`: the code flow only (DESIGN §3); the client must be registered for it. */
import { OAuthError, type Client } from "@authrim/contracts"
import { Effect } from "effect"

/** Succeeds for `code` that the client may use. */
export const checkResponseType = (client: Client, requested: string | undefined): Effect.Effect<void, OAuthError> => {
  if (requested === undefined) {
    return Effect.fail(new OAuthError({ code: "invalid_request", description: "response_type is required" }))
  }
  if (requested !== "code") {
    return Effect.fail(new OAuthError({ code: "unsupported_response_type", description: "only response_type=code is supported" }))
  }
  if (!client.responseTypes.includes("code")) {
    return Effect.fail(new OAuthError({ code: "unauthorized_client", description: "the client is not registered for response_type=code" }))
  }
  return Effect.void
}
