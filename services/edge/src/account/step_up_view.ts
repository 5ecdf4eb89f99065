/** The "Confirm it's you" page of a step-up transaction (what `/login` shows for it). */
import type { EdgeFailure } from "@authrim/contracts"
import { Effect } from "effect"
import { Edge } from "../edge_layer.ts"
import type { AuthorizationTransaction } from "../authorize/authorization_transaction.ts"
import type { RouteContext } from "../route_context.ts"
import { stepUpPage } from "../pages/step_up_page.ts"
import type { UpstreamButton } from "../pages/upstream_buttons.ts"
import { enabledUpstreamProviders } from "../routes/upstream_sign_in.ts"
import type { StepUpSettings } from "./step_up_settings.ts"
import type { Locale } from "../i18n/locale.ts"

/** The signed-in user's address: the one the re-authentication must prove. */
export const stepUpEmail = (tx: AuthorizationTransaction): Effect.Effect<string, EdgeFailure, Edge> =>
  Edge.use(({ backends }) => backends.identity.getUser({ userId: tx.userId ?? "" }).pipe(Effect.map((user) => user.email)))

/** The page of step-up `tx` (whose `stepUp` is set), with the given upstream providers (only an `any` step-up shows them). */
export const stepUpPageFor = (
  locale: Locale,
  stepUp: StepUpSettings,
  tx: AuthorizationTransaction,
  email: string,
  error: string | null,
  status = 200,
  upstreamProviders: ReadonlyArray<UpstreamButton> = []
): Response => {
  const maxAgeMinutes = Math.max(1, Math.round(stepUp.maxAgeSeconds / 60))
  return stepUpPage(locale, { tx: tx.id, csrf: tx.csrf, method: tx.stepUp ?? "password", email, maxAgeMinutes, error, upstreamProviders }, status)
}

/** Renders the page of step-up `tx`, reading the upstream providers when it needs them. */
export const renderStepUp = (
  locale: Locale,
  ctx: RouteContext,
  tx: AuthorizationTransaction,
  email: string,
  error: string | null,
  status = 200
): Effect.Effect<Response, never, Edge> =>
  Edge.use(({ stepUp }) =>
    (tx.stepUp === "any" ? enabledUpstreamProviders(ctx) : Effect.succeed([])).pipe(
      Effect.map((providers) => stepUpPageFor(locale, stepUp, tx, email, error, status, providers))
    ))
