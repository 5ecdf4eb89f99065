/**
 * Admin API helpers: an admin is an ordinary user holding a role with
 * permissions (created through identity's RBAC contract), signed in through
 * /authorize with scope `admin`; calls go to `/admin/api/v1` with the token.
 */
import { env } from "cloudflare:workers"
import type { Permission } from "@authrim/contracts"
import { expect } from "vitest"
import { Browser } from "./browser.ts"
import { seedClient, seedUser, type SeededClient, type SeededUser } from "./fixtures.ts"
import { pkcePair, redeemCode, signIn } from "./flows.ts"

const unwrap = <T>(result: { _tag: "Success"; value: T } | { _tag: "Failure"; error: unknown }): T => {
  if (result._tag === "Failure") throw new Error(`admin seeding failed: ${JSON.stringify(result.error)}`)
  return result.value
}

/** Who set a test's roles up (the actor of those audit events). */
export const SETUP_ACTOR = "test-setup"

/** A new role with `permissions`, given to `userId`; returns the role id. */
export const grantRole = async (userId: string, permissions: ReadonlyArray<Permission>): Promise<string> => {
  const role = unwrap(await env.IDENTITY_ADMIN.createRole({ role: { name: `role-${crypto.randomUUID().slice(0, 8)}`, permissions: [...permissions] }, actorId: SETUP_ACTOR }))
  unwrap(await env.IDENTITY_ADMIN.assignRole({ userId, roleId: role.id, actorId: SETUP_ACTOR }))
  return role.id
}

/** A client the console would be: may request `admin`. */
export const seedAdminClient = (extraScope = ""): Promise<SeededClient> =>
  seedClient({ skipConsent: true, scope: `openid profile email admin roles offline_access ${extraScope}`.trim() })

/** Signs `user` in with `client` for `scope` and redeems the code. */
export const tokensFor = async (client: SeededClient, user: SeededUser, scope: string) => {
  const { verifier, challenge } = await pkcePair()
  const callback = await signIn(new Browser(), client, user, { scope, code_challenge: challenge, code_challenge_method: "S256" })
  const response = await redeemCode(client, callback.searchParams.get("code")!, verifier)
  expect(response.status).toBe(200)
  return response.json<{ access_token: string; refresh_token?: string; scope: string }>()
}

/** A fresh admin: a user with a role holding `permissions`, and an access token for `scope` (default `openid admin`). */
export const signInAdmin = async (permissions: ReadonlyArray<Permission>, scope = "openid admin") => {
  const client = await seedAdminClient(scope.split(" ").filter((s) => s.includes(":")).join(" "))
  const user = await seedUser()
  const roleId = permissions.length === 0 ? null : await grantRole(user.id, permissions)
  const tokens = await tokensFor(client, user, scope)
  return { client, user, roleId, token: tokens.access_token, tokens }
}

/** One admin API call; `body` is sent as JSON unless it is a string. */
export const adminCall = (path: string, options: { method?: string; token?: string | null; body?: unknown; headers?: Record<string, string> } = {}) =>
  new Browser().request(`/admin/api/v1${path}`, {
    method: options.method ?? "GET",
    headers: {
      ...(options.token === undefined || options.token === null ? {} : { authorization: `Bearer ${options.token}` }),
      ...(options.body === undefined ? {} : { "content-type": "application/json" }),
      ...options.headers
    },
    ...(options.body === undefined ? {} : { body: typeof options.body === "string" ? options.body : JSON.stringify(options.body) })
  })

/** Reads a problem+json answer and checks its RFC 9457 members. */
export const problemOf = async (response: Response, status: number) => {
  expect(response.status).toBe(status)
  expect(response.headers.get("content-type")).toBe("application/problem+json")
  const problem = await response.json<{ type: string; title: string; status: number; detail: string; errors?: Array<{ field: string; message: string }> }>()
  expect(problem).toMatchObject({ status, type: expect.stringMatching(/^urn:authrim:problem:/), title: expect.any(String), detail: expect.any(String) })
  return problem
}
