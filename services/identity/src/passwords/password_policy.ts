/**
 * What a new password must be (NIST SP 800-63B §5.1.1.2): a length range and
 * no composition rules. The range is the settings' `passwordPolicy` (default
 * 8 … 256; 256 at most so a megabyte "password" cannot tie up PBKDF2).
 * Counted in code points, so any script works. Applied to every password a
 * user or admin chooses: change, reset, and `upsertUser` (seed, admin).
 */
import { OAuthError } from "@authrim/contracts"
import { Effect } from "effect"
import { currentSettings } from "../settings/system_settings.ts"

/** Fails with `invalid_request` (the description is shown to the user) when the password is not acceptable. */
export const checkNewPassword = Effect.fnUntraced(function*(password: string) {
  const { passwordPolicy } = yield* currentSettings
  const length = [...password].length
  if (length < passwordPolicy.minLength) {
    return yield* new OAuthError({ code: "invalid_request", description: `Choose a password of at least ${passwordPolicy.minLength} characters.` })
  }
  if (length > passwordPolicy.maxLength) {
    return yield* new OAuthError({ code: "invalid_request", description: `Choose a password of at most ${passwordPolicy.maxLength} characters.` })
  }
})
