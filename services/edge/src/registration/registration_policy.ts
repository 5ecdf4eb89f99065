/**
 * Whether `/register` accepts a registration without an initial access token
 * (RFC 7591 §3 "open registration"). OFF by default — anyone could otherwise
 * create clients that show a consent screen in this provider's name — and
 * switched on only by `OPEN_REGISTRATION=true`. This file is the ONE place it
 * is read: for now from the edge var, read once per isolate into `Edge`; the
 * settings in KV `SETTINGS` (issue 12 §5, "open registration") will back it
 * here later without touching a caller.
 */
import { Effect } from "effect"
import { Edge } from "../edge_layer.ts"
import type { ServiceEnv } from "../env.ts"

/** The registration settings of one isolate. */
export interface RegistrationSettings {
  /** Open registration: a request without an initial access token may register a client. */
  readonly open: boolean
}

/** Reads `OPEN_REGISTRATION` ("true", case-insensitive, turns it on; anything else leaves it off). */
export const registrationSettingsFor = (env: Pick<ServiceEnv, "OPEN_REGISTRATION">): RegistrationSettings => ({
  open: env.OPEN_REGISTRATION?.trim().toLowerCase() === "true"
})

/** Whether open registration is allowed for this request (a function: `Edge` and this module import each other). */
export const openRegistrationAllowed = (): Effect.Effect<boolean, never, Edge> => Edge.use(({ registration }) => Effect.succeed(registration.open))
