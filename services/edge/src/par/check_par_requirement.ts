/**
 * RFC 9126 §5: a client registered with `require_pushed_authorization_requests`
 * (or every client, under `REQUIRE_PAR`, and every FAPI 2.0 client,
 * authorize/fapi_profile.ts) may only send authorization requests
 * by reference to a pushed one. The client and redirect_uri are trusted by
 * then, so the refusal goes back to the RP as `invalid_request`.
 */
import { OAuthError, type Client } from "@authrim/contracts"
import { Effect } from "effect"
import { Edge } from "../edge_layer.ts"
import { isFapi2Client } from "../authorize/fapi_profile.ts"
import { parRequiredFor } from "./par_settings.ts"

/** Fails when `client` had to push its request and did not. */
export const checkParRequirement = (client: Client, pushed: boolean): Effect.Effect<void, OAuthError, Edge> =>
  Edge.use(({ par }) =>
    pushed || !(parRequiredFor(par, client) || isFapi2Client(client))
      ? Effect.void
      : Effect.fail(new OAuthError({ code: "invalid_request", description: "this client must use pushed authorization requests (RFC 9126)" })))
