/**
 * A private_key_jwt client for the end-to-end tests whose keys are published
 * the way real clients publish them: a JWK Set served over HTTP (`jwks_uri`)
 * by a small Node server on 127.0.0.1. The private key is handed to the tests
 * (as a JWK) through vitest's `provide`.
 */
import http from "node:http"
import { exportJWK, generateKeyPair, type JWK } from "jose"
import type { SeedFile } from "../../../scripts/local_stack.ts"
import { freePort } from "../../../scripts/local_stack.ts"

/** The seeded client id. */
export const PKJWT_CLIENT_ID = "e2e-pkjwt"

/** The seeded FAPI 2.0 Security Profile client (the same keys, `fapi_profile: fapi2_security`). */
export const FAPI_CLIENT_ID = "e2e-fapi2"

/** Starts the JWKS server; returns the private JWK, the jwks_uri and a stop function. */
export const startClientKeysServer = async () => {
  const { publicKey, privateKey } = await generateKeyPair("ES256", { extractable: true })
  const kid = "e2e-pkjwt-1"
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg: "ES256", use: "sig" }
  const privateJwk: JWK = { ...(await exportJWK(privateKey)), kid, alg: "ES256" }
  const port = await freePort()
  const server = http.createServer((req, res) => {
    if (req.url === "/jwks.json") {
      res.writeHead(200, { "content-type": "application/json" })
      res.end(JSON.stringify({ keys: [publicJwk] }))
    } else {
      res.writeHead(404).end()
    }
  })
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve))
  return {
    privateJwk,
    jwksUri: `http://127.0.0.1:${port}/jwks.json`,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve()))
  }
}

/** Adds the private_key_jwt client and the FAPI 2.0 client (keys by `jwks_uri`) to a seed file. */
export const withPrivateKeyJwtClient = (file: SeedFile, jwksUri: string): SeedFile => ({
  ...file,
  clients: [...(file.clients ?? []), {
    client_id: PKJWT_CLIENT_ID,
    client_name: "E2E private_key_jwt client (jwks_uri)",
    token_endpoint_auth_method: "private_key_jwt",
    jwks_uri: jwksUri,
    redirect_uris: ["http://127.0.0.1:9999/cb"],
    grant_types: ["client_credentials"],
    scope: "api.read api.write"
  }, {
    client_id: FAPI_CLIENT_ID,
    client_name: "E2E FAPI 2.0 Security Profile client (private_key_jwt by jwks_uri)",
    token_endpoint_auth_method: "private_key_jwt",
    jwks_uri: jwksUri,
    redirect_uris: ["http://127.0.0.1:9999/cb"],
    grant_types: ["authorization_code", "refresh_token"],
    fapi_profile: "fapi2_security"
  }]
})
