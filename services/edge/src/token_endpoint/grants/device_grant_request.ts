/**
 * `grant_type=urn:ietf:params:oauth:grant-type:device_code` (RFC 8628 §3.4).
 * Each poll is first counted under the `devicePoll` rate-limit policy (keyed
 * by a hash of the device code); a flood beyond it is answered `slow_down`,
 * the error RFC 8628 §3.5 gives a device that polls too fast. The tokens
 * service then applies the per-code interval (`slow_down`, +5 s) and decides
 * pending / denied / expired / granted-once.
 */
import { OAuthError, type Client, type EdgeFailure, type TokenSet } from "@authrim/contracts"
import { Effect } from "effect"
import { Edge } from "../../edge_layer.ts"
import type { RouteContext } from "../../route_context.ts"
import { devicePollLimit } from "../../http/surface_rate_limits.ts"
import type { Params } from "../../http/request_params.ts"
import { issueOptions } from "../issue_options.ts"

/** The grant type URN (RFC 8628 §3.4), as clients register and send it. */
export const DEVICE_CODE_GRANT = "urn:ietf:params:oauth:grant-type:device_code"

/** One poll for the tokens of a device code. */
export const deviceCodeGrant = Effect.fnUntraced(function*(ctx: RouteContext, client: Client, form: Params): Effect.fn.Return<TokenSet, EdgeFailure, Edge> {
  const { backends } = yield* Edge
  const deviceCode = form.get("device_code")
  if (deviceCode === undefined) return yield* new OAuthError({ code: "invalid_request", description: "device_code is required" })
  const verdict = yield* devicePollLimit(deviceCode)
  if (verdict._tag === "Limited") {
    return yield* new OAuthError({ code: "slow_down", description: "polling too fast; increase the interval by 5 seconds" })
  }
  return yield* backends.device.pollDeviceCode({ ...issueOptions(ctx, client), deviceCode, clientId: client.clientId })
})
