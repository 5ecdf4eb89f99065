/**
 * Whether the consent page must be shown: always for `prompt=consent`;
 * never for first-party clients (`skipConsent`); otherwise unless the user's
 * remembered consent already covers every requested scope.
 */
import type { EdgeFailure } from "@authrim/contracts"
import { Effect } from "effect"
import { Edge } from "../edge_layer.ts"
import type { ClientSummary } from "./authorization_transaction.ts"
import type { PendingAuthorization } from "./pending_authorization.ts"

/** True when the consent page must be shown. */
export const consentRequired = (
  client: ClientSummary,
  request: PendingAuthorization,
  userId: string
): Effect.Effect<boolean, EdgeFailure, Edge> => {
  if (request.prompt.includes("consent")) return Effect.succeed(true)
  if (client.skipConsent) return Effect.succeed(false)
  return Edge.use(({ backends }) => backends.identity.getConsent({ userId, clientId: client.clientId })).pipe(
    Effect.map(({ scopes }) => !request.scopes.every((s) => scopes.includes(s)))
  )
}
