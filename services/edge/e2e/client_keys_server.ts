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

/** The seeded client that passes request objects by reference (JAR §5.2; the same keys, `request_uris` on this server). */
export const JAR_CLIENT_ID = "e2e-jar"

/** Largest request object the server stores (a test's PUT); far above a real one. */
const MAX_REQUEST_OBJECT = 64 * 1024

/**
 * Starts the JWKS server; returns the private JWK, the jwks_uri, the base of its request-object URLs and a stop
 * function. Besides the JWK Set it hosts request objects the way a client does for `request_uri` (JAR §5.2): a test
 * PUTs one under `/requests/<name>`; GET serves it (`application/oauth-authz-req+jwt`) and counts the fetches
 * (`GET /requests/<name>?count` answers the count), so a test can see that the provider fetched it once.
 */
export const startClientKeysServer = async () => {
  const { publicKey, privateKey } = await generateKeyPair("ES256", { extractable: true })
  const kid = "e2e-pkjwt-1"
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg: "ES256", use: "sig" }
  const privateJwk: JWK = { ...(await exportJWK(privateKey)), kid, alg: "ES256" }
  const port = await freePort()
  const requestObjects = new Map<string, { body: string; fetches: number }>()
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1")
    const name = url.pathname.startsWith("/requests/") ? url.pathname.slice("/requests/".length) : null
    if (url.pathname === "/jwks.json") {
      res.writeHead(200, { "content-type": "application/json" })
      res.end(JSON.stringify({ keys: [publicJwk] }))
    } else if (name !== null && req.method === "PUT") {
      const chunks: Buffer[] = []
      let size = 0
      req.on("data", (chunk: Buffer) => { size += chunk.length; if (size <= MAX_REQUEST_OBJECT) chunks.push(chunk) })
      req.on("end", () => {
        if (size > MAX_REQUEST_OBJECT) return void res.writeHead(413).end()
        requestObjects.set(name, { body: Buffer.concat(chunks).toString("utf8"), fetches: 0 })
        res.writeHead(204).end()
      })
    } else if (name !== null && req.method === "GET" && requestObjects.has(name)) {
      const stored = requestObjects.get(name)!
      if (url.searchParams.has("count")) {
        res.writeHead(200, { "content-type": "application/json" })
        return void res.end(JSON.stringify({ fetches: stored.fetches }))
      }
      stored.fetches += 1
      res.writeHead(200, { "content-type": "application/oauth-authz-req+jwt" })
      res.end(stored.body)
    } else {
      res.writeHead(404).end()
    }
  })
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve))
  return {
    privateJwk,
    jwksUri: `http://127.0.0.1:${port}/jwks.json`,
    requestsBase: `http://127.0.0.1:${port}/requests/`,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve()))
  }
}

/**
 * Adds the private_key_jwt client, the FAPI 2.0 client and the request_uri client (keys by `jwks_uri`; request
 * objects under `requestsBase`, registered as a prefix ending in `/`) to a seed file.
 */
export const withPrivateKeyJwtClient = (file: SeedFile, jwksUri: string, requestsBase: string): SeedFile => ({
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
  }, {
    client_id: JAR_CLIENT_ID,
    client_name: "E2E request objects by reference (JAR §5.2, request_uris)",
    token_endpoint_auth_method: "private_key_jwt",
    jwks_uri: jwksUri,
    request_uris: [requestsBase],
    redirect_uris: ["http://127.0.0.1:9999/cb"],
    grant_types: ["authorization_code"],
    skip_consent: true
  }]
})
