/**
 * What a new password must be (NIST SP 800-63B §5.1.1.2): at least 8
 * characters, no composition rules; at most 256 so a megabyte "password"
 * cannot tie up PBKDF2. Counted in code points, so any script works.
 */
import { OAuthError } from "@authrim/contracts"
import { Effect } from "effect"

export const PASSWORD_MIN_LENGTH = 8
export const PASSWORD_MAX_LENGTH = 256

/** Fails with `invalid_request` (the description is shown to the user) when the password is not acceptable. */
export const checkNewPassword = (password: string): Effect.Effect<void, OAuthError> => {
  const length = [...password].length
  if (length < PASSWORD_MIN_LENGTH) {
    return Effect.fail(new OAuthError({ code: "invalid_request", description: `Choose a password of at least ${PASSWORD_MIN_LENGTH} characters.` }))
  }
  if (length > PASSWORD_MAX_LENGTH) {
    return Effect.fail(new OAuthError({ code: "invalid_request", description: `Choose a password of at most ${PASSWORD_MAX_LENGTH} characters.` }))
  }
  return Effect.void
}
