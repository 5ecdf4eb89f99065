/**
 * A DPoP client for the edge tests: a key pair and proofs the way an RP
 * library makes them (jose), with fields overridable to build bad proofs.
 */
import { calculateJwkThumbprint, exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from "jose"
import { Browser, ORIGIN } from "./browser.ts"
import { REDIRECT_URI, seedUser, type SeededClient } from "./fixtures.ts"
import { basicAuth, pkcePair, signIn } from "./flows.ts"

/** A client's DPoP key, its public JWK and RFC 7638 thumbprint. */
export interface DpopKey {
  readonly privateKey: CryptoKey
  readonly publicJwk: JWK
  readonly jkt: string
}

export const newDpopKey = async (): Promise<DpopKey> => {
  const { privateKey, publicKey } = await generateKeyPair("ES256", { extractable: true })
  const publicJwk = await exportJWK(publicKey)
  return { privateKey, publicJwk, jkt: await calculateJwkThumbprint(publicJwk, "sha256") }
}

const b64url = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "")

/** `ath` of an access token. */
export const athOf = async (token: string) => b64url(new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(token))))

/** A proof for `htm htu`; `accessToken` adds `ath`. */
export const proofFor = async (key: DpopKey, htm: string, path: string, extra: { accessToken?: string; nonce?: string; iat?: number; jti?: string; htu?: string } = {}) =>
  new SignJWT({
    htm,
    htu: extra.htu ?? `${ORIGIN}${path}`,
    jti: extra.jti ?? crypto.randomUUID(),
    ...(extra.accessToken === undefined ? {} : { ath: await athOf(extra.accessToken) }),
    ...(extra.nonce === undefined ? {} : { nonce: extra.nonce })
  })
    .setProtectedHeader({ alg: "ES256", typ: "dpop+jwt", jwk: key.publicJwk })
    .setIssuedAt(extra.iat ?? Math.floor(Date.now() / 1000))
    .sign(key.privateKey)

/** POST /token with the client's credentials (Basic, or client_id for public clients) and an optional DPoP proof. */
export const tokenRequest = (client: SeededClient, fields: Record<string, string>, proof?: string) =>
  new Browser().request("/token", {
    method: "POST",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      ...(client.secret === null ? {} : { authorization: basicAuth(client.clientId, client.secret) }),
      ...(proof === undefined ? {} : { dpop: proof })
    },
    body: new URLSearchParams({ ...fields, ...(client.secret === null ? { client_id: client.clientId } : {}) }).toString()
  })

/** Signs a fresh user in; returns the authorization_code grant fields (with the PKCE verifier). */
export const codeGrantFields = async (client: SeededClient): Promise<Record<string, string>> => {
  const { verifier, challenge } = await pkcePair()
  // offline_access: the DPoP tests refresh, and a refresh token needs it (issue 9 §2).
  const callback = await signIn(new Browser(), client, await seedUser(), {
    scope: "openid profile email offline_access", code_challenge: challenge, code_challenge_method: "S256"
  })
  return { grant_type: "authorization_code", code: callback.searchParams.get("code")!, redirect_uri: REDIRECT_URI, code_verifier: verifier }
}

/** The token response body. */
export type TokenBody = { access_token: string; token_type: string; refresh_token?: string; error?: string; error_description?: string }

/** GET /userinfo with `Authorization: <scheme> <token>` and an optional proof. */
export const userinfoRequest = (scheme: string, token: string, proof?: string) =>
  new Browser().request("/userinfo", { headers: { authorization: `${scheme} ${token}`, ...(proof === undefined ? {} : { dpop: proof }) } })
