/**
 * RFC 8693 token exchange in the tokens service (grants/token_exchange.ts),
 * against the real keys service and revocation store, under a manual clock:
 * what the edge test cannot reach without waiting — expiry of the subject and
 * actor tokens and the cap of the issued token's lifetime — plus the claims
 * carried over and DPoP rules.
 */
import { decodeJwt } from "jose"
import { describe, expect, it } from "vitest"
import { createAuthorizationCode, exchangeAuthorizationCode } from "../src/grants/authorization_code.ts"
import { clientCredentials } from "../src/grants/client_credentials.ts"
import { exchangeToken } from "../src/grants/token_exchange.ts"
import { codeOf, exchangeInput as codeExchange, failureOf, grantInput, issuer, ManualClock, run, signIn } from "./token_fixtures.ts"

const WORKER = "worker-a"
const AUDIENCE = "https://notes.example/api"
const HOUR = 3_600_000

const actorAt = (clock: ManualClock, clientId = WORKER) => run(clientCredentials({ issuer, clientId, scope: "profile" }), clock)

const exchangeInput = (subjectToken: string, actorToken: string, overrides: Partial<Parameters<typeof exchangeToken>[0]> = {}) => ({
  issuer, clientId: WORKER, subjectToken, actorToken, audiences: [AUDIENCE], scope: null, ...overrides
})

describe("exchangeToken — RFC 8693 §2.2.1 (lifetimes, claims)", () => {
  it("the issued token never outlives the subject token, and carries its authentication facts but no sid", async () => {
    const clock = new ManualClock()
    const subject = await signIn(clock)
    clock.advance(HOUR - 600_000)
    const actor = await actorAt(clock)
    const issued = await run(exchangeToken(exchangeInput(subject.access_token, actor.access_token)), clock)
    const subjectClaims = decodeJwt(subject.access_token)
    const claims = decodeJwt(issued.access_token)
    expect(claims.exp).toBe(subjectClaims.exp)
    expect(issued.expires_in).toBe(600)
    expect(claims).toMatchObject({ sub: "user-1", aud: AUDIENCE, client_id: WORKER, act: { sub: WORKER }, acr: subjectClaims.acr, amr: subjectClaims.amr, auth_time: subjectClaims.auth_time })
    expect(claims).not.toHaveProperty("sid")
    expect(issued).not.toHaveProperty("refresh_token")
  })

  it("nor the actor token", async () => {
    const clock = new ManualClock()
    const actor = await actorAt(clock)
    clock.advance(HOUR - 120_000)
    const subject = await signIn(clock)
    const issued = await run(exchangeToken(exchangeInput(subject.access_token, actor.access_token)), clock)
    expect(decodeJwt(issued.access_token).exp).toBe(decodeJwt(actor.access_token).exp)
    expect(issued.expires_in).toBe(120)
  })

  it("an expired subject or actor token is invalid_request naming it", async () => {
    const clock = new ManualClock()
    const subject = await signIn(clock)
    const actor = await actorAt(clock)
    clock.advance(HOUR + 1_000)
    const freshActor = await actorAt(clock)
    const expiredSubject = await failureOf(exchangeToken(exchangeInput(subject.access_token, freshActor.access_token)), clock)
    expect([codeOf(expiredSubject), "description" in expiredSubject ? expiredSubject.description : ""]).toEqual(["invalid_request", "subject_token is expired"])
    const freshSubject = await signIn(clock)
    const expiredActor = await failureOf(exchangeToken(exchangeInput(freshSubject.access_token, actor.access_token)), clock)
    expect([codeOf(expiredActor), "description" in expiredActor ? expiredActor.description : ""]).toEqual(["invalid_request", "actor_token is expired"])
  })

  it("DPoP: a sender-constrained subject token is refused; a proof at the exchange binds the issued token", async () => {
    const clock = new ManualClock()
    const actor = await actorAt(clock)
    const { code } = await run(createAuthorizationCode(grantInput()), clock)
    const bound = await run(exchangeAuthorizationCode(codeExchange(code, { dpopJkt: "jkt-of-the-user-agent-0000000000000000000000" })), clock)
    const refused = await failureOf(exchangeToken(exchangeInput(bound.access_token, actor.access_token)), clock)
    expect(codeOf(refused)).toBe("invalid_request")
    const subject = await signIn(clock)
    const jkt = "jkt-of-the-worker-000000000000000000000000000"
    const issued = await run(exchangeToken(exchangeInput(subject.access_token, actor.access_token, { dpopJkt: jkt })), clock)
    expect(issued.token_type).toBe("DPoP")
    expect(decodeJwt(issued.access_token).cnf).toEqual({ jkt })
  })

  it("a token of another issuer's name is refused; a client_credentials token is no subject (no end user)", async () => {
    const clock = new ManualClock()
    const subject = await signIn(clock)
    const actor = await actorAt(clock)
    const otherIssuer = await failureOf(exchangeToken(exchangeInput(subject.access_token, actor.access_token, { issuer: "https://elsewhere.example" })), clock)
    expect(codeOf(otherIssuer)).toBe("invalid_request")
    const machine = await failureOf(exchangeToken(exchangeInput(actor.access_token, actor.access_token)), clock)
    expect([codeOf(machine), "description" in machine ? machine.description : ""]).toEqual(["invalid_request", "subject_token has no end user"])
  })
})
