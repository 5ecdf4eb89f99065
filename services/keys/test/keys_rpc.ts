/**
 * The keys service over real Workers RPC (test-only bindings to its three
 * entrypoints, vitest.config.ts), with each envelope unwrapped: a `Failure`
 * fails the test. Plus the claim sets of a valid token of each kind, for the
 * signing tests (the test config sets `ISSUER` to {@link testIssuer}).
 */
import { env } from "cloudflare:workers"
import {
  BACKCHANNEL_LOGOUT_EVENT,
  type KeysAdminContract,
  type KeysPublicContract,
  type KeysSigningContract,
  type RpcResultEncoded,
  type TokenKind
} from "@authrim/contracts"

type Contracts = typeof KeysPublicContract & typeof KeysSigningContract & typeof KeysAdminContract

const unwrap = async <K extends keyof Contracts>(result: Promise<RpcResultEncoded<Contracts[K]>>) => {
  const settled = await result
  if (settled._tag === "Failure") throw new Error(`keys RPC failed: ${JSON.stringify(settled.error)}`)
  return settled.value
}

/** Success values of each method, as they cross the wire, each through the entrypoint its real caller binds. */
export const keys = {
  getJwks: () => unwrap<"getJwks">(env.KEYS_FOR_EDGE.getJwks({})),
  signTokens: (input: Contracts["signTokens"]["input"]["Encoded"]) => unwrap<"signTokens">(env.KEYS_FOR_TOKENS.signTokens(input)),
  listKeys: () => unwrap<"listKeys">(env.KEYS_ADMIN.listKeys({})),
  rotate: (force: boolean) => unwrap<"rotate">(env.KEYS_ADMIN.rotate({ force }))
}

/** `ISSUER` of the keys worker in these tests (vitest.config.ts). */
export const testIssuer = "https://op.test"

const now = () => Math.floor(Date.now() / 1000)

/** The claims of a valid token of `kind`, issued now. */
export const validClaims = (kind: TokenKind): Record<string, unknown> => {
  const iat = now()
  if (kind === "id_token") return { iss: testIssuer, sub: "user-1", aud: "rp-1", iat, exp: iat + 3_600, nonce: "n-1" }
  if (kind === "access_token") {
    return { iss: testIssuer, sub: "user-1", aud: `${testIssuer}/userinfo`, iat, exp: iat + 3_600, jti: "j-1", client_id: "rp-1", scope: "openid" }
  }
  if (kind === "authorization_response") return { iss: testIssuer, aud: "rp-1", iat, exp: iat + 600, code: "c-1", state: "s-1" }
  if (kind === "token_introspection") {
    return { iss: testIssuer, aud: "rp-1", iat, token_introspection: { active: true, sub: "user-1", client_id: "rp-1", exp: iat + 3_600, scope: "openid" } }
  }
  return { iss: testIssuer, aud: "rp-1", iat, exp: iat + 120, jti: "j-2", sid: "s-1", events: { [BACKCHANNEL_LOGOUT_EVENT]: {} } }
}
