/**
 * A user's OIDC standard claims (OIDC Core §5.1), stored on the `users` row
 * (migration 0015) and edited through identity's `updateUserProfile` — by the
 * user on the account page or by an admin in the console (the audit entry
 * says which). Field names are the claim names, so what is stored is what
 * `scope_mappings` releases (profile, phone, address scopes, §5.4).
 */
import { Schema } from "effect"
import { NotFound, OAuthError, Unavailable } from "./errors.ts"
import { rpcMethod, type RpcInterface } from "./rpc.ts"
import { contractVersion } from "./contract_version.ts"

/** OIDC Core §5.1.1 address claim: every member optional. */
export const AddressClaim = Schema.Struct({
  formatted: Schema.optional(Schema.String),
  street_address: Schema.optional(Schema.String),
  locality: Schema.optional(Schema.String),
  region: Schema.optional(Schema.String),
  postal_code: Schema.optional(Schema.String),
  country: Schema.optional(Schema.String)
})
/** Type of {@link AddressClaim}. */
export type AddressClaim = typeof AddressClaim.Type

/** The standard claims as stored (null = not set). `name`, `email`, `email_verified` stay with the account. */
export const UserProfile = Schema.Struct({
  name: Schema.NullOr(Schema.String),
  given_name: Schema.NullOr(Schema.String),
  family_name: Schema.NullOr(Schema.String),
  middle_name: Schema.NullOr(Schema.String),
  nickname: Schema.NullOr(Schema.String),
  preferred_username: Schema.NullOr(Schema.String),
  /** https URL of the user's profile page. */
  profile: Schema.NullOr(Schema.String),
  /** https URL of the user's picture (the avatar upload points it at the edge's immutable URL). */
  picture: Schema.NullOr(Schema.String),
  /** https URL of the user's web site. */
  website: Schema.NullOr(Schema.String),
  gender: Schema.NullOr(Schema.String),
  /** `YYYY` or `YYYY-MM-DD` (ISO 8601:2004). */
  birthdate: Schema.NullOr(Schema.String),
  /** An IANA time zone, e.g. `Europe/Paris`. */
  zoneinfo: Schema.NullOr(Schema.String),
  /** A BCP 47 language tag, e.g. `ja-JP`. */
  locale: Schema.NullOr(Schema.String),
  /** E.164, e.g. `+81312345678`. */
  phone_number: Schema.NullOr(Schema.String),
  phone_number_verified: Schema.Boolean,
  address: Schema.NullOr(AddressClaim)
})
/** Type of {@link UserProfile}. */
export type UserProfile = typeof UserProfile.Type

/**
 * A change: an absent field keeps its value, `null` clears it. Types only —
 * the formats (URLs, dates, zones, tags, phone numbers) are checked by identity,
 * whose `invalid_request` description names the field.
 */
export const UserProfilePatch = Schema.Struct({
  name: Schema.optional(Schema.NullOr(Schema.String)),
  given_name: Schema.optional(Schema.NullOr(Schema.String)),
  family_name: Schema.optional(Schema.NullOr(Schema.String)),
  middle_name: Schema.optional(Schema.NullOr(Schema.String)),
  nickname: Schema.optional(Schema.NullOr(Schema.String)),
  preferred_username: Schema.optional(Schema.NullOr(Schema.String)),
  profile: Schema.optional(Schema.NullOr(Schema.String)),
  picture: Schema.optional(Schema.NullOr(Schema.String)),
  website: Schema.optional(Schema.NullOr(Schema.String)),
  gender: Schema.optional(Schema.NullOr(Schema.String)),
  birthdate: Schema.optional(Schema.NullOr(Schema.String)),
  zoneinfo: Schema.optional(Schema.NullOr(Schema.String)),
  locale: Schema.optional(Schema.NullOr(Schema.String)),
  phone_number: Schema.optional(Schema.NullOr(Schema.String)),
  phone_number_verified: Schema.optional(Schema.Boolean),
  address: Schema.optional(Schema.NullOr(Schema.Record(Schema.String, Schema.Unknown)))
})
/** Type of {@link UserProfilePatch}. */
export type UserProfilePatch = typeof UserProfilePatch.Type

/** Who made a profile change: the user themself (account page), an admin (console / admin API), or a tool (seed). */
export const ProfileEditor = Schema.Struct({
  kind: Schema.Literals(["user", "admin", "system"]),
  id: Schema.NullOr(Schema.String)
})
/** Type of {@link ProfileEditor}. */
export type ProfileEditor = typeof ProfileEditor.Type

/** Methods of the identity service for profiles. */
export const UserProfileContract = {
  /** The stored standard claims of a user; `NotFound` for unknown ids. */
  getUserProfile: rpcMethod(Schema.Struct({ userId: Schema.String }), UserProfile, Schema.Union([NotFound, Unavailable])),
  /**
   * Applies `patch` (one D1 write) and answers the profile. A bad value is
   * `invalid_request` naming the field (nothing is written). A user editing
   * their own profile may not set `phone_number_verified` (only an admin or a
   * verification flow may). Audited as `profile.updated` with `editor` as the actor.
   */
  updateUserProfile: rpcMethod(
    Schema.Struct({ userId: Schema.String, patch: UserProfilePatch, editor: ProfileEditor }),
    UserProfile,
    Schema.Union([NotFound, Unavailable, OAuthError])
  )
} as const
export const UserProfileContractVersion = contractVersion(UserProfileContract, { name: "user_profile", version: 1 })

/** RPC interface of the profile methods (served by `IdentityService`). */
export type UserProfileRpc = RpcInterface<typeof UserProfileContract>
