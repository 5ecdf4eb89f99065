/**
 * oidc-provider 9 configured for the same flows as Authrim's bench client:
 * code + PKCE (S256, required), client_secret_basic, refresh tokens rotated on
 * every use, client_credentials, introspection, revocation, userinfo; RS256
 * keys generated at start; the default in-memory adapter; our own login and
 * consent pages instead of the development interactions.
 */
import { randomBytes } from "node:crypto"
import { exportJWK, generateKeyPair } from "jose"
import type { Configuration } from "oidc-provider"
import { benchClient } from "../bench_seed.ts"
import { findAccountIn, type AccountDirectory } from "./accounts.ts"

export const referenceConfiguration = async (accounts: AccountDirectory): Promise<Configuration> => {
  const { privateKey } = await generateKeyPair("RS256", { extractable: true })
  const signingKey = { ...(await exportJWK(privateKey)), alg: "RS256", use: "sig", kid: "bench-rs256" }
  return {
    clients: [{
      client_id: benchClient.clientId,
      client_secret: benchClient.clientSecret,
      redirect_uris: [benchClient.redirectUri],
      grant_types: [...benchClient.grantTypes],
      response_types: ["code"],
      token_endpoint_auth_method: "client_secret_basic",
      scope: benchClient.scope
    }],
    jwks: { keys: [signingKey] },
    cookies: { keys: [randomBytes(32).toString("hex")] },
    findAccount: findAccountIn(accounts),
    claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name"] },
    features: {
      devInteractions: { enabled: false },
      introspection: { enabled: true },
      revocation: { enabled: true },
      clientCredentials: { enabled: true },
      userinfo: { enabled: true }
    },
    pkce: { required: () => true },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    issueRefreshToken: async (_ctx, client, code) => client.grantTypeAllowed("refresh_token") && code.scopes.has("offline_access"),
    rotateRefreshToken: () => true
  }
}
