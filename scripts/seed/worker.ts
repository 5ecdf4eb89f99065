/**
 * Local tooling only (never deployed): the worker `npm run seed` starts next
 * to the identity service for a moment, so seeding goes through the same
 * identity RPCs (its `IdentitySeed` entrypoint) (password hashing, secret hashing, cache invalidation)
 * as everything else instead of writing rows behind its back.
 */
import { Effect } from "effect"
import { makeClient, NotFound, toWireError, type ClientInput, type IdentitySeedRpc } from "../../contracts/src/index.ts"
import { SeedBrandingContract, SeedCustomFieldsContract, SeedProvidersContract, SeedInitialAccessTokensContract, SeedProfileContract, SeedRolesContract, SeedTotpContract, SeedUpsertsContract } from "../../contracts/src/index.ts"
import type { BrandingPatch, ClientRegistrationContract, CustomFieldValue, IdentityProviderInput, NewCustomFieldDefinition, Permission, ScopeMappingSourceInput, UserProfilePatch } from "../../contracts/src/index.ts"

interface SeedEnv {
  /** authrim-identity's `IdentitySeed` entrypoint: the upserts and what a seed file may set, nothing else. */
  readonly IDENTITY: IdentitySeedRpc
}

/** The current RFC 6238 code of a base32 secret (SHA-1, 6 digits, 30 s): the seed confirms a given TOTP secret with it. */
const currentTotp = async (base32: string): Promise<string> => {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
  const bytes: Array<number> = []
  let buffer = 0
  let bits = 0
  for (const char of base32.replace(/[\s=]/g, "").toUpperCase()) {
    buffer = (buffer << 5) | Math.max(0, alphabet.indexOf(char))
    bits += 5
    if (bits >= 8) {
      bytes.push((buffer >>> (bits - 8)) & 255)
      bits -= 8
    }
  }
  const counter = new DataView(new ArrayBuffer(8))
  counter.setBigUint64(0, BigInt(Math.floor(Date.now() / 30_000)))
  const key = await crypto.subtle.importKey("raw", new Uint8Array(bytes), { name: "HMAC", hash: "SHA-1" }, false, ["sign"])
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", key, counter.buffer))
  const offset = mac[mac.length - 1]! & 15
  const value = ((mac[offset]! & 127) << 24) | (mac[offset + 1]! << 16) | (mac[offset + 2]! << 8) | mac[offset + 3]!
  return String(value % 1_000_000).padStart(6, "0")
}

/** The actor of the audit events seeding records (`admin.action` by "seed"). */
const SEED_ACTOR = "seed"

/** What scripts/seed.ts posts: already mapped from the seed file's snake_case. */
interface SeedRequest {
  readonly clients: ReadonlyArray<ClientInput>
  readonly users: ReadonlyArray<{
    email: string; password: string | null; name: string | null; emailVerified: boolean; profile?: UserProfilePatch; totpSecret?: string
    customFields?: Record<string, CustomFieldValue>
  }>
  /** Custom field definitions by name (created, or updated to these validation / labels / flags), then mappings. */
  readonly customFields?: ReadonlyArray<NewCustomFieldDefinition>
  readonly scopeMappings?: ReadonlyArray<{ scope: string; claimName: string; source: ScopeMappingSourceInput }>
  readonly providers?: ReadonlyArray<IdentityProviderInput>
  /** RBAC roles by name (created, or updated to these permissions), and which user holds which. */
  readonly roles?: ReadonlyArray<{ name: string; description: string | null; permissions: ReadonlyArray<Permission> }>
  readonly userRoles?: ReadonlyArray<{ email: string; role: string }>
  readonly initialAccessTokens?: ReadonlyArray<typeof ClientRegistrationContract.createInitialAccessToken.input.Type>
  /** The branding patch (issue 12 §5), applied through identity's checked, audited write. */
  readonly branding?: BrandingPatch
}

export default {
  async fetch(request: Request, env: SeedEnv): Promise<Response> {
    if (request.method !== "POST") return new Response("seed runner: POST a seed request", { status: 405 })
    const body = (await request.json()) as SeedRequest
    const identity = makeClient("identity", SeedUpsertsContract, env.IDENTITY)
    const program = Effect.gen(function*() {
      const clients = []
      for (const client of body.clients) clients.push(yield* identity.upsertClient(client))
      // Custom field definitions first (users' values are checked against them), created or brought to the file's shape.
      const customFields = makeClient("identity", SeedCustomFieldsContract, env.IDENTITY)
      const definitions = new Map((yield* customFields.listCustomFieldDefinitions({})).definitions.map((d) => [d.name, d]))
      for (const definition of body.customFields ?? []) {
        const known = definitions.get(definition.name)
        if (known === undefined) yield* customFields.createCustomFieldDefinition({ definition, actorId: SEED_ACTOR })
        else {
          const { validation, labels, userEditable, required } = definition
          yield* customFields.updateCustomFieldDefinition({
            name: definition.name, expectedVersion: known.version, changes: { validation: validation ?? {}, labels, userEditable: userEditable ?? false, required: required ?? false }, actorId: SEED_ACTOR
          })
        }
      }
      const users = []
      const profiles = makeClient("identity", SeedProfileContract, env.IDENTITY)
      const mfa = makeClient("identity", SeedTotpContract, env.IDENTITY)
      for (const { profile, customFields: values, totpSecret, ...account } of body.users) {
        const user = yield* identity.upsertUser(account)
        // Standard claims (issue 12 §4) go through the same checks as an admin's edit; the seed is a tool, not a person.
        if (profile !== undefined) yield* profiles.updateUserProfile({ userId: user.id, patch: profile, editor: { kind: "system", id: null } })
        if (values !== undefined) yield* customFields.updateUserCustomFields({ userId: user.id, values, editor: { kind: "admin", adminUserId: SEED_ACTOR } })
        // `totp_secret`: TOTP on with that secret (begin + confirm with the current code). Already on (a second seed run): kept.
        if (totpSecret !== undefined && !(yield* mfa.getMfaStatus({ userId: user.id })).totpEnabled) {
          yield* mfa.beginTotpEnrolment({ userId: user.id, issuer: "Authrim", secret: totpSecret })
          const code = yield* Effect.tryPromise({ try: () => currentTotp(totpSecret), catch: () => new NotFound({ what: "TOTP code" }) })
          yield* mfa.confirmTotpEnrolment({ userId: user.id, code })
        }
        users.push(user)
      }
      for (const mapping of body.scopeMappings ?? []) yield* customFields.putScopeMapping({ ...mapping, actorId: SEED_ACTOR })
      const rbac = makeClient("identity", SeedRolesContract, env.IDENTITY)
      const existing = new Map((yield* rbac.listRoles({})).roles.map((r) => [r.name, r]))
      for (const role of body.roles ?? []) {
        const known = existing.get(role.name)
        const fields = { name: role.name, description: role.description, permissions: role.permissions }
        existing.set(role.name, known === undefined
          ? yield* rbac.createRole({ role: fields, actorId: SEED_ACTOR })
          : yield* rbac.updateRole({ roleId: known.id, expectedVersion: known.version, changes: fields, actorId: SEED_ACTOR }))
      }
      for (const { email, role } of body.userRoles ?? []) {
        const user = users.find((u) => u.email.toLowerCase() === email.toLowerCase())
        const held = existing.get(role)
        if (user === undefined || held === undefined) return yield* Effect.fail(new NotFound({ what: `role ${role} of ${email}` }))
        yield* rbac.assignRole({ userId: user.id, roleId: held.id, actorId: SEED_ACTOR })
      }
      // Branding (issue 12 §5): the same checked, versioned write as PATCH /branding; absent members stay.
      const brandingVersion = body.branding === undefined ? null
        : (yield* makeClient("identity", SeedBrandingContract, env.IDENTITY).updateBranding({ patch: body.branding, adminUserId: null })).version
            const upstream = makeClient("identity", SeedProvidersContract, env.IDENTITY)
      const providers = []
      for (const provider of body.providers ?? []) providers.push(yield* upstream.upsertIdentityProvider(provider))
      const registration = makeClient("identity", SeedInitialAccessTokensContract, env.IDENTITY)
      const initialAccessTokens = []
      for (const request of body.initialAccessTokens ?? []) {
        const { token, info } = yield* registration.createInitialAccessToken(request)
        initialAccessTokens.push({ token, id: info.id, description: info.description, expiresAt: info.expiresAt })
      }
      // A confidential client seeded without a secret got a generated one: this answer is the only place it appears.
      const generatedSecrets = Object.fromEntries(clients.flatMap((c) => (c.generatedClientSecret === undefined ? [] : [[c.clientId, c.generatedClientSecret]])))
      return { clients: clients.map((c) => c.clientId), users: users.map((u) => u.email), providers: providers.map((p) => p.id), generatedSecrets, initialAccessTokens, brandingVersion }
    })
    const exit = await Effect.runPromiseExit(program)
    if (exit._tag === "Success") return Response.json(exit.value)
    const failure = exit.cause.reasons.find((r) => r._tag === "Fail")
    const error = failure && "error" in failure ? failure.error : null
    const wire = error === null ? { code: "server_error", description: String(exit.cause) }
      : error._tag === "AlreadyExists" || error._tag === "VersionMismatch" ? { code: "invalid_request", description: `${error._tag}: ${error.what}` }
      : error._tag === "UserAdminInvalidInput" ? { code: "invalid_request", description: `${error.field}: ${error.reason}` }
      : error._tag === "InvalidBranding" ? { code: "invalid_request", description: `branding.${error.field}: ${error.reason}` }
      : error._tag === "BrandingVersionConflict" ? { code: "invalid_request", description: "branding changed while seeding; run the seed again" }
      : toWireError(error)
    return Response.json({ error: wire.code, error_description: wire.description }, { status: 400 })
  }
}
