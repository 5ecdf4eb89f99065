/**
 * `POST /device_authorization` (RFC 8628 §3.1–3.2): the client authenticates
 * as at `/token` (a public client sends only its `client_id`) and must be
 * registered for the device_code grant. The answer carries both codes, the
 * verification page and, for devices that can show a QR code, the page with
 * the user code filled in (`verification_uri_complete`).
 */
import { OAuthError } from "@authrim/contracts"
import { Effect } from "effect"
import { Edge } from "../edge_layer.ts"
import { deviceScope } from "../device/device_scope.ts"
import type { RouteContext } from "../route_context.ts"
import { readFormBody } from "../http/form_body.ts"
import { noStoreJson } from "../http/oauth_json.ts"
import { tokenRateLimit } from "../http/surface_rate_limits.ts"
import { authenticateClient } from "../token_endpoint/authenticate_client.ts"
import { DEVICE_CODE_GRANT } from "../token_endpoint/grants/device_grant_request.ts"
import { clientEndpointError } from "../token_endpoint/token_error.ts"

/** The verification page's path. */
export const DEVICE_VERIFICATION_PATH = "/device"

/** Handles a device authorization request. */
export const deviceAuthorization = Effect.fnUntraced(function*(request: Request, ctx: RouteContext) {
  const { backends } = yield* Edge
  const refused = yield* tokenRateLimit(request)
  if (refused !== null) return refused
  const form = yield* readFormBody(request)
  const client = yield* authenticateClient(request, form, ctx.issuer)
  if (!client.grantTypes.includes(DEVICE_CODE_GRANT)) {
    return yield* new OAuthError({ code: "unauthorized_client", description: "the client is not registered for the device_code grant" })
  }
  const scope = yield* deviceScope(client, form.get("scope"))
  const started = yield* backends.device.startDeviceAuthorization({ clientId: client.clientId, scope })
  const verificationUri = `${ctx.issuer}${DEVICE_VERIFICATION_PATH}`
  return noStoreJson({
    device_code: started.deviceCode,
    user_code: started.userCode,
    verification_uri: verificationUri,
    verification_uri_complete: `${verificationUri}?user_code=${encodeURIComponent(started.userCode)}`,
    expires_in: started.expiresIn,
    interval: started.interval
  })
}, (effect, request) => effect.pipe(Effect.catch((failure) => Effect.succeed(clientEndpointError(request, failure)))))
