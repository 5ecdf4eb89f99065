/** The account page's view of a user's passkeys: list, rename, remove — each scoped to the owner. */
import { NotFound, OAuthError } from "@authrim/contracts"
import { Effect } from "effect"
import { passkeyDisplayName, PASSKEY_NAME_MAX } from "./passkey_name.ts"
import { deletePasskeyRow, passkeyFromRow, passkeysOfUser, renamePasskeyRow } from "./passkey_table.ts"

/** The user's passkeys, oldest first. */
export const listPasskeys = (input: { readonly userId: string }) =>
  passkeysOfUser(input.userId).pipe(Effect.map((rows) => ({ passkeys: rows.map(passkeyFromRow) })))

/** Renames one of the user's passkeys. */
export const renamePasskey = Effect.fnUntraced(function*(input: { readonly userId: string; readonly credentialId: string; readonly name: string }) {
  const name = passkeyDisplayName(input.name)
  if (name === null) {
    return yield* new OAuthError({ code: "invalid_request", description: `a passkey name has 1 to ${PASSKEY_NAME_MAX} characters` })
  }
  const row = yield* renamePasskeyRow(input.userId, input.credentialId, name)
  if (row === null) return yield* new NotFound({ what: "passkey" })
  return passkeyFromRow(row)
})

/** Removes one of the user's passkeys. */
export const removePasskey = Effect.fnUntraced(function*(input: { readonly userId: string; readonly credentialId: string }) {
  const removed = yield* deletePasskeyRow(input.userId, input.credentialId)
  if (!removed) return yield* new NotFound({ what: "passkey" })
  return { removed }
})
