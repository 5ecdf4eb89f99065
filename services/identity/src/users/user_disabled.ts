/**
 * A disabled account (issue 12 §1, `users.disabled_at`, set by `setUserDisabled`)
 * is refused by every sign-in method. The password sign-in reads the flag with
 * the user (same query) and answers the generic `InvalidCredentials`, so the
 * form never tells a stranger the account exists. The methods that prove who
 * the person is first — passkey, upstream IdP, second factor — are told
 * "This account is disabled." (`access_denied`); a magic link answers as an
 * invalid link (its contract has no error to say more). Each of those checks
 * is one primary-key read of `users` (see storage-schema.md).
 */
import { OAuthError, tryD1, type NotFound, type Unavailable } from "@authrim/contracts"
import { Effect } from "effect"
import { IdentityBindings, serviceName } from "../identity_bindings.ts"

/** What the person is told once they proved who they are. */
export const ACCOUNT_DISABLED_DESCRIPTION = "This account is disabled. Contact the administrator."

/** `access_denied` for a disabled account. */
export const accountDisabled = () => new OAuthError({ code: "access_denied", description: ACCOUNT_DISABLED_DESCRIPTION })

/** True when the user exists and is disabled, read from `db` (a user deleted meanwhile is the caller's own not-found). */
export const isUserDisabledIn = Effect.fnUntraced(function*(db: D1Database, userId: string): Effect.fn.Return<boolean, Unavailable> {
  const row = yield* tryD1(serviceName, "users.disabled", () =>
    db.prepare("SELECT disabled_at FROM users WHERE id = ?").bind(userId).first<{ disabled_at: number | null }>())
  return row !== null && row.disabled_at !== null
})

/** {@link isUserDisabledIn} the service's database. */
export const isUserDisabled = (userId: string): Effect.Effect<boolean, Unavailable, IdentityBindings> =>
  IdentityBindings.use(({ db }) => isUserDisabledIn(db, userId))

/** Fails with `refusal()` when the user is disabled. */
export const refuseDisabledUser = <E extends OAuthError | NotFound>(userId: string, refusal: () => E) =>
  Effect.flatMap(isUserDisabled(userId), (disabled) => (disabled ? Effect.fail(refusal()) : Effect.void))
