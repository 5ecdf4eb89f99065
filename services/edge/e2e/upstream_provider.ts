/**
 * A REAL upstream OpenID Provider for the end-to-end tests: the `oidc-provider`
 * package (node-oidc-provider), on a free 127.0.0.1 port, with one client
 * registered for Authrim's callback. Its interaction pages are our own tiny
 * ones so a test can drive them without JavaScript: the login page is a form
 * with one `account` field (or a `deny` button → `access_denied`); consent is
 * granted automatically.
 *
 * The account id chosen on the login page is a query string of the claims the
 * test wants (`sub=…&email=…&email_verified=true&name=…`), so each test makes
 * up its own upstream user.
 */
import http from "node:http"
import { exportJWK, generateKeyPair } from "jose"
import Provider from "oidc-provider"
import { freePort, type SeedFile } from "../../../scripts/local_stack.ts"

/** The client Authrim uses at the upstream (seeded into Authrim as provider `upstream-e2e`). */
export const upstreamClient = { clientId: "authrim-e2e", clientSecret: "upstream-e2e-secret-8c1f0a5b3d2e4f67" }
/** Authrim's provider id for it. */
export const upstreamProviderId = "upstream-e2e"

/** The claims of a made-up upstream account, encoded as its account id. */
export const upstreamAccount = (claims: { sub: string; email?: string; email_verified?: boolean; name?: string }) =>
  new URLSearchParams(Object.entries(claims).map(([k, v]) => [k, String(v)])).toString()

const readBody = (req: http.IncomingMessage) =>
  new Promise<URLSearchParams>((resolve, reject) => {
    let data = ""
    req.on("data", (chunk) => (data += chunk))
    req.on("end", () => resolve(new URLSearchParams(data)))
    req.on("error", reject)
  })

const loginForm = (uid: string) =>
  `<!doctype html><html><body><form method="post" action="/interaction/${uid}">` +
  `<input name="account" value=""><button type="submit">Sign in</button>` +
  `<button type="submit" name="deny" value="1">Cancel</button></form></body></html>`

/** Starts the upstream OP; `authrimIssuer` is where its client's redirect_uri points. */
export const startUpstreamProvider = async (authrimIssuer: string) => {
  const port = await freePort()
  const issuer = `http://127.0.0.1:${port}`
  const { privateKey } = await generateKeyPair("RS256", { extractable: true })
  const signingKey = { ...(await exportJWK(privateKey)), kid: "upstream-e2e-1", alg: "RS256", use: "sig" }
  const provider = new Provider(issuer, {
    clients: [{
      client_id: upstreamClient.clientId,
      client_secret: upstreamClient.clientSecret,
      redirect_uris: [`${authrimIssuer}/login/upstream/callback`],
      grant_types: ["authorization_code"],
      response_types: ["code"],
      token_endpoint_auth_method: "client_secret_basic"
    }],
    jwks: { keys: [signingKey] },
    cookies: { keys: ["upstream-e2e-cookie-key"] },
    ttl: { AccessToken: 600, AuthorizationCode: 60, IdToken: 600, Interaction: 600, Session: 3600, Grant: 3600 },
    claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name"] },
    features: { devInteractions: { enabled: false } },
    interactions: { url: (_ctx: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}` },
    findAccount: (_ctx: unknown, accountId: string) => {
      const claims = Object.fromEntries(new URLSearchParams(accountId))
      return {
        accountId,
        claims: () => ({
          sub: claims["sub"] ?? accountId,
          ...(claims["email"] === undefined ? {} : { email: claims["email"], email_verified: claims["email_verified"] === "true" }),
          ...(claims["name"] === undefined ? {} : { name: claims["name"] })
        })
      }
    }
  })
  const callback = provider.callback()
  const server = http.createServer(async (req, res) => {
    const match = /^\/interaction\/([^/?]+)/.exec(req.url ?? "")
    if (match === null) return callback(req, res)
    try {
      const details = await provider.interactionDetails(req, res)
      if (req.method === "POST") {
        const form = await readBody(req)
        const result = form.get("deny") !== null
          ? { error: "access_denied", error_description: "the user cancelled the sign-in" }
          : { login: { accountId: form.get("account") ?? "" } }
        return await provider.interactionFinished(req, res, result, { mergeWithLastSubmission: false })
      }
      if (details.prompt.name === "login") {
        res.writeHead(200, { "content-type": "text/html" }).end(loginForm(match[1]!))
        return
      }
      const grant = new provider.Grant({ accountId: details.session?.accountId, clientId: String(details.params["client_id"]) })
      grant.addOIDCScope(String(details.params["scope"] ?? "openid"))
      const grantId = await grant.save()
      return await provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true })
    } catch (error) {
      res.writeHead(500, { "content-type": "text/plain" }).end(String(error))
    }
  })
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve))
  return {
    issuer,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve()))
  }
}

declare module "vitest" {
  export interface ProvidedContext {
    /** Issuer of the upstream OP started by `startUpstreamProvider`. */
    upstreamIssuer: string
  }
}

/**
 * Adds the upstream OP to a seed file twice: as a generic OpenID Connect
 * provider (discovery + ID token) and as a plain OAuth 2.0 provider
 * (endpoints + userinfo, the GitHub-style path).
 */
export const withUpstreamProviders = <F extends SeedFile>(file: F, upstreamIssuer: string): F => ({
  ...file,
  providers: [
    ...(file.providers ?? []),
    {
      id: upstreamProviderId,
      type: "oidc",
      name: "Upstream E2E",
      issuer: upstreamIssuer,
      client_id: upstreamClient.clientId,
      client_secret: upstreamClient.clientSecret,
      scopes: ["openid", "email", "profile"]
    },
    {
      id: `${upstreamProviderId}-oauth2`,
      type: "oauth2",
      name: "Upstream E2E (OAuth 2.0)",
      client_id: upstreamClient.clientId,
      client_secret: upstreamClient.clientSecret,
      scopes: ["openid", "email"],
      authorization_endpoint: `${upstreamIssuer}/auth`,
      token_endpoint: `${upstreamIssuer}/token`,
      userinfo_endpoint: `${upstreamIssuer}/me`,
      claims: { sub: "sub", email: "email", email_verified: "email_verified", name: "name" }
    }
  ]
})
