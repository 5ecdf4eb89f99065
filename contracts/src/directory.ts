/**
 * Directory contract (issue 13 §1), implemented by the `IdentityDirectory`
 * entrypoint of authrim-identity: what another team's Worker may read about a
 * user — the public profile, the roles, a permission check. Nothing else:
 * no email, phone, address or credential leaves through it. Bound as
 * `services: [{ binding: "AUTHRIM_DIRECTORY", service: "authrim-identity", entrypoint: "IdentityDirectory" }]`.
 */
import { contractVersion } from "./contract_version.ts"
import { Schema } from "effect"
import { NotFound, Unavailable } from "./errors.ts"
import { rpcMethod, type RpcInterface } from "./rpc.ts"

/**
 * The public OIDC profile claims of a user (OIDC Core §5.1), each present only
 * when set. Email and phone are left out on purpose: they are personal data an
 * RP gets with the user's consent (scopes `email`, `phone`), not something any
 * Worker holding the binding should read.
 */
export const PublicProfile = Schema.Struct({
  sub: Schema.String,
  name: Schema.optional(Schema.String),
  given_name: Schema.optional(Schema.String),
  family_name: Schema.optional(Schema.String),
  preferred_username: Schema.optional(Schema.String),
  picture: Schema.optional(Schema.String),
  locale: Schema.optional(Schema.String),
  zoneinfo: Schema.optional(Schema.String)
})
/** Type of {@link PublicProfile}. */
export type PublicProfile = typeof PublicProfile.Type

/** A user id (the `sub` of the user's tokens). */
const UserRef = Schema.Struct({ userId: Schema.String })

/** Method schemas of `IdentityDirectory`. */
export const DirectoryContract = {
  /** The user's public profile; `NotFound` for an unknown (or deleted) user. */
  getPublicProfile: rpcMethod(UserRef, PublicProfile, Schema.Union([NotFound, Unavailable])),
  /** The names of the user's roles, sorted; `NotFound` for an unknown user. */
  getRoles: rpcMethod(UserRef, Schema.Struct({ roles: Schema.Array(Schema.String) }), Schema.Union([NotFound, Unavailable])),
  /**
   * Whether the user's roles grant `permission` now (read fresh: a role taken
   * away counts at once). `admin:read` / `admin:write` imply every read / write
   * (contracts/src/rbac.ts). Unknown users, disabled users and permissions
   * outside the vocabulary: false.
   */
  hasPermission: rpcMethod(
    Schema.Struct({ userId: Schema.String, permission: Schema.String }),
    Schema.Struct({ granted: Schema.Boolean }),
    Unavailable
  )
} as const
export const DirectoryContractVersion = contractVersion(DirectoryContract, { name: "directory", version: 1 })

/** RPC interface of `IdentityDirectory` (the type of a consumer's `env.AUTHRIM_DIRECTORY`). */
export type DirectoryRpc = RpcInterface<typeof DirectoryContract>
