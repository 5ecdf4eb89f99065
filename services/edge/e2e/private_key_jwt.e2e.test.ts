import { importJWK, SignJWT, type JWK } from "jose"
import * as oidc from "openid-client"
import { describe, expect, inject, it } from "vitest"
import { PKJWT_CLIENT_ID } from "./client_keys_server.ts"
import { issuer } from "./rp.ts"

const privateKey = () => importJWK(inject("pkjwtPrivateJwk") as JWK, "ES256") as Promise<CryptoKey>

/** A client assertion (RFC 7523 §3) with a chosen jti, signed with the client's key. */
const assertion = async (jti: string) =>
  new SignJWT({})
    .setProtectedHeader({ alg: "ES256", kid: "e2e-pkjwt-1" })
    .setIssuer(PKJWT_CLIENT_ID)
    .setSubject(PKJWT_CLIENT_ID)
    .setAudience(`${issuer()}/token`)
    .setJti(jti)
    .setIssuedAt()
    .setExpirationTime("2m")
    .sign(await privateKey())

const tokenRequest = async (jti: string) =>
  fetch(`${issuer()}/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      grant_type: "client_credentials",
      client_assertion_type: "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
      client_assertion: await assertion(jti)
    })
  })

describe("private_key_jwt with jwks_uri — RFC 7523 / OIDC Core §9", () => {
  it("openid-client authenticates with PrivateKeyJwt and gets a client_credentials token (keys fetched from jwks_uri)", async () => {
    const config = await oidc.discovery(new URL(issuer()), PKJWT_CLIENT_ID, undefined, oidc.PrivateKeyJwt(await privateKey()), {
      execute: [oidc.allowInsecureRequests]
    })
    expect(config.serverMetadata().token_endpoint_auth_methods_supported).toContain("private_key_jwt")
    const tokens = await oidc.clientCredentialsGrant(config, { scope: "api.read" })
    expect(tokens.access_token).toBeTruthy()
    expect(tokens.scope).toBe("api.read")
    expect(tokens.refresh_token).toBeUndefined()
    expect(tokens.id_token).toBeUndefined()
  })

  it("a replayed assertion (same jti) is refused with invalid_client", async () => {
    const jti = crypto.randomUUID()
    const first = await tokenRequest(jti)
    expect(first.status).toBe(200)
    const replay = await tokenRequest(jti)
    expect(replay.status).toBe(401)
    expect(((await replay.json()) as { error: string }).error).toBe("invalid_client")
  })
})
