import { MagicLinkWrongBrowser, NotFound, OAuthError } from "@authrim/contracts"
import { env, runInDurableObject } from "cloudflare:test"
import { Effect } from "effect"
import { describe, expect, it } from "vitest"
import { challengeShardName, shardOfChallengeId } from "../src/challenges/challenge_shard.ts"
import { MAGIC_LINK_TTL_SECONDS, redeemMagicLink, requestMagicLink } from "../src/email/magic_link.ts"
import { upsertUser } from "../src/users/users.ts"
import { makeEmailHarness } from "./email_harness.ts"
import { unique } from "./identity_harness.ts"

const VERIFY_URL = "https://op.test/login/email/verify"
const binding = () => `binding-${crypto.randomUUID()}-${crypto.randomUUID()}`

const setup = async () => {
  const h = makeEmailHarness()
  const email = `${unique("magic")}@example.com`
  const user = await h.run(upsertUser({ email, password: null, name: null, emailVerified: true }))
  const browser = binding()
  await h.run(requestMagicLink({ email, txId: "tx-1", browserBinding: browser, verifyUrl: VERIFY_URL }))
  const token = await h.latestToken(email)
  return { h, email, user, browser, token }
}

describe("Magic link — request", () => {
  it("mails a link to the verify URL for a known email", async () => {
    const { h, email, token } = await setup()
    const mail = await h.latestMail(email)
    expect(mail?.subject).toBe("Your sign-in link")
    expect(mail?.text).toContain(`${VERIFY_URL}?token=${token}`)
    expect(mail?.text).toContain("expires in 15 minutes")
  })

  it("answers an unknown email exactly like a known one and sends nothing (no account enumeration)", async () => {
    const h = makeEmailHarness()
    const email = `${unique("nobody")}@example.com`
    expect(await h.run(requestMagicLink({ email, txId: "tx", browserBinding: binding(), verifyUrl: VERIFY_URL }))).toEqual({})
    expect(await h.latestMail(email)).toBeUndefined()
  })

  it("stores only hashes: neither the link secret nor the browser binding is in the ChallengeStore", async () => {
    const { token, browser } = await setup()
    const [id, secret] = token.split(".") as [string, string]
    const stub = env.CHALLENGES.get(env.CHALLENGES.idFromName(challengeShardName(shardOfChallengeId(id)!)))
    const stored = await runInDurableObject(stub, (_instance, state) =>
      state.storage.sql.exec<{ metadata: string }>("SELECT metadata FROM challenges WHERE id = ?", id).one().metadata)
    expect(stored).not.toContain(secret)
    expect(stored).not.toContain(browser)
    expect(stored).toMatch(/"secretHash":"[0-9a-f]{64}"/)
  })

  it("rejects a too-short browser binding", async () => {
    const h = makeEmailHarness()
    const failure = await h.fail(requestMagicLink({ email: "a@b.c", txId: "tx", browserBinding: "short", verifyUrl: VERIFY_URL }))
    expect(failure).toBeInstanceOf(OAuthError)
  })
})

describe("Magic link — redemption", () => {
  it("the requesting browser redeems it once; a second use is rejected", async () => {
    const { h, user, browser, token } = await setup()
    expect(await h.run(redeemMagicLink({ token, browserBinding: browser }))).toEqual({ userId: user.id, txId: "tx-1" })
    expect(await h.fail(redeemMagicLink({ token, browserBinding: browser }))).toBeInstanceOf(NotFound)
  })

  it("another browser (no or other binding) is turned away and the link stays usable where it was asked for", async () => {
    const { h, user, browser, token } = await setup()
    expect(await h.fail(redeemMagicLink({ token, browserBinding: null }))).toBeInstanceOf(MagicLinkWrongBrowser)
    expect(await h.fail(redeemMagicLink({ token, browserBinding: binding() }))).toBeInstanceOf(MagicLinkWrongBrowser)
    expect((await h.run(redeemMagicLink({ token, browserBinding: browser }))).userId).toBe(user.id)
  })

  it("expires after 15 minutes (controlled clock)", async () => {
    const { h, browser, token } = await setup()
    h.clock.advance(MAGIC_LINK_TTL_SECONDS * 1000)
    expect(await h.fail(redeemMagicLink({ token, browserBinding: browser }))).toBeInstanceOf(NotFound)
  })

  it("is still valid just before 15 minutes", async () => {
    const { h, browser, token } = await setup()
    h.clock.advance(MAGIC_LINK_TTL_SECONDS * 1000 - 1)
    expect(await h.run(redeemMagicLink({ token, browserBinding: browser }))).toHaveProperty("txId", "tx-1")
  })

  it("rejects a forged secret on a real challenge id, and malformed tokens", async () => {
    const { h, browser, token } = await setup()
    const [id] = token.split(".") as [string]
    for (const forged of [`${id}.${"A".repeat(43)}`, id, `${token}.x`, "", "."]) {
      expect(await h.fail(redeemMagicLink({ token: forged, browserBinding: browser }))).toBeInstanceOf(NotFound)
    }
    expect(await h.run(redeemMagicLink({ token, browserBinding: browser }))).toHaveProperty("txId", "tx-1")
  })

  it("race: 20 concurrent redemptions of one link → exactly one succeeds", async () => {
    const { h, browser, token } = await setup()
    const outcomes = await Promise.all(
      Array.from({ length: 20 }, () => h.run(Effect.result(redeemMagicLink({ token, browserBinding: browser }))))
    )
    const winners = outcomes.filter((o) => o._tag === "Success")
    expect(winners).toHaveLength(1)
    expect(outcomes.filter((o) => o._tag === "Failure" && o.failure instanceof NotFound)).toHaveLength(19)
  })
})
