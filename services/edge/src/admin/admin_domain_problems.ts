/**
 * The typed refusals of identity's user-admin and settings methods as admin
 * API problems (RFC 9457): bad input → 400 naming the field, a stale version →
 * 412 with the current ETag, a taken email → 409 naming `email`. Any other
 * failure passes through to the router's mapping (admin_problem.ts).
 */
import type { BrandingVersionConflict, EmailAddressTaken, InvalidBranding, InvalidSettings, SettingsVersionConflict, UserAdminInvalidInput, UserVersionConflict } from "@authrim/contracts"
import { conflict, invalidRequest, preconditionFailed, type AdminFailure } from "./admin_problem.ts"

/** A refusal of identity's user-admin or settings methods. */
export type DomainRefusal = UserAdminInvalidInput | UserVersionConflict | EmailAddressTaken | InvalidSettings | SettingsVersionConflict | InvalidBranding | BrandingVersionConflict

/** Maps a domain refusal to its problem; other failures unchanged (use with `Effect.mapError`). */
export const domainProblem = (failure: DomainRefusal | AdminFailure): AdminFailure => {
  switch (failure._tag) {
    case "UserAdminInvalidInput":
    case "InvalidSettings":
    case "InvalidBranding":
      return invalidRequest(`${failure.field}: ${failure.reason}`, [{ field: failure.field, message: failure.reason }])
    case "UserVersionConflict":
    case "SettingsVersionConflict":
    case "BrandingVersionConflict":
      return preconditionFailed(failure.currentVersion)
    case "EmailAddressTaken":
      return conflict("another user has this email address", "email")
    default:
      return failure
  }
}
