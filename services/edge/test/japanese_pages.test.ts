import { env } from "cloudflare:workers"
import { describe, expect, it } from "vitest"
import { Browser, parseForm } from "./support/browser.ts"
import { latestMailedLink, requestMagicLink, requestPasswordReset, startLogin } from "./support/email_flows.ts"
import { seedClient, seedUser } from "./support/fixtures.ts"
import { authorizeUrl, callbackOf, submitConsentForm, submitLoginForm } from "./support/flows.ts"

/** The newest outbox message to `email` (subject and text), waiting for the after-response send. */
const latestMail = async (email: string) => {
  expect(await latestMailedLink(email)).not.toBeNull()
  const result = await env.IDENTITY.readOutbox({ to: email, limit: 1 })
  if (result._tag === "Failure") throw new Error("outbox unavailable")
  return result.value.messages[0]!
}

describe("Languages — OIDC Core §3.1.2.1 ui_locales through the whole sign-in", () => {
  it("/authorize?ui_locales=ja renders the Japanese login page; the consent page after it stays Japanese; the code follows", async () => {
    const client = await seedClient()
    const user = await seedUser()
    const browser = new Browser()
    const login = await browser.follow(await browser.request(authorizeUrl(client.clientId, { ui_locales: "fr ja en" })))
    expect(login.status).toBe(200)
    const loginHtml = await login.clone().text()
    expect(loginHtml).toContain(`<html lang="ja">`)
    expect(loginHtml).toContain("<title>ログイン — Authrim</title>")
    expect(loginHtml).toContain("メールアドレス")
    expect(loginHtml).not.toContain(">Sign in<")

    // A wrong password: the error is Japanese, next to the fields it concerns.
    const form = parseForm(loginHtml)!
    const wrong = await browser.post(form.action, { ...form.fields, email: user.email, password: "not-the-password" })
    expect(wrong.status).toBe(401)
    const wrongHtml = await wrong.text()
    expect(wrongHtml).toContain(`<p class="error" id="form-error" role="alert">メールアドレスまたはパスワードが正しくありません。</p>`)
    expect(wrongHtml).toMatch(/<input id="password"[^>]*aria-invalid="true" aria-describedby="form-error"/)

    // The browser says English; the request's ui_locales still wins on every page of the flow.
    const consent = await browser.follow(await submitLoginForm(browser, login, user))
    expect(consent.status).toBe(200)
    const consentHtml = await consent.clone().text()
    expect(consentHtml).toContain(`<html lang="ja">`)
    expect(consentHtml).toContain("アクセスを許可しますか？")
    expect(consentHtml).toContain("メールアドレス")
    expect(consentHtml).toContain("許可する")
    expect(callbackOf(await submitConsentForm(browser, consent, "approve")).searchParams.get("code")).toBeTruthy()
  })

  it("without ui_locales, Accept-Language chooses; with neither, the pages stay English", async () => {
    const client = await seedClient()
    const ja = new Browser()
    const jaPage = await ja.follow(await ja.request(authorizeUrl(client.clientId), { headers: { "accept-language": "fr;q=0.9, ja;q=0.8, en;q=0.1" } }))
    expect(await jaPage.text()).toContain(`<html lang="ja">`)
    const en = new Browser()
    const enHtml = await (await en.follow(await en.request(authorizeUrl(client.clientId)))).text()
    expect(enHtml).toContain(`<html lang="en">`)
    expect(enHtml).toContain("<h1>Sign in</h1>")
    // ui_locales of languages the provider does not have falls through to English too.
    const other = new Browser()
    const otherHtml = await (await other.follow(await other.request(authorizeUrl(client.clientId, { ui_locales: "de fr" })))).text()
    expect(otherHtml).toContain(`<html lang="en">`)
  })

  it("ui_locales beats Accept-Language", async () => {
    const client = await seedClient()
    const browser = new Browser()
    const page = await browser.follow(await browser.request(authorizeUrl(client.clientId, { ui_locales: "en" }), { headers: { "accept-language": "ja" } }))
    expect(await page.text()).toContain(`<html lang="en">`)
  })
})

describe("Languages — error pages", () => {
  it("a browser error page speaks the browser's language around the (English, machine-readable) wire error", async () => {
    const response = await new Browser().request("/login?tx=forged", { headers: { "accept-language": "ja" } })
    expect(response.status).toBe(400)
    const html = await response.text()
    expect(html).toContain(`<html lang="ja">`)
    expect(html).toContain("<h1>問題が発生しました</h1>")
    expect(html).toContain("<code>invalid_request</code>")
    const english = await (await new Browser().request("/login?tx=forged")).text()
    expect(english).toContain("<h1>Something went wrong</h1>")
  })
})

describe("Languages — emails follow the page's language", () => {
  it("a sign-in link asked for in a Japanese flow is mailed in Japanese; its rejection page is Japanese too", async () => {
    const client = await seedClient({ skipConsent: true })
    const user = await seedUser()
    const browser = new Browser()
    const login = await browser.follow(await browser.request(authorizeUrl(client.clientId, { ui_locales: "ja" })))
    const tx = parseForm(await login.text())!.fields.tx!
    const sent = await requestMagicLink(browser, tx, user.email)
    expect(await sent.text()).toContain("メールをご確認ください")
    const mail = await latestMail(user.email)
    expect(mail.subject).toBe("ログイン用リンクのお知らせ")
    expect(mail.text).toContain("15 分後に無効になります")
    const link = mail.text.match(/https?:\/\/\S+/)![0]
    expect(new URL(link).searchParams.get("ui_locales")).toBe("ja")
    // Opened in another browser: refused, in the flow's language.
    const elsewhere = await new Browser().request(link)
    expect(elsewhere.status).toBe(403)
    expect(await elsewhere.text()).toContain("リンクをリクエストしたブラウザで開いてください")
  })

  it("an English flow still mails English", async () => {
    const client = await seedClient({ skipConsent: true })
    const user = await seedUser()
    const browser = new Browser()
    const login = await startLogin(browser, client.clientId)
    await requestMagicLink(browser, login.tx, user.email)
    const mail = await latestMail(user.email)
    expect(mail.subject).toBe("Your sign-in link")
    expect(new URL(mail.text.match(/https?:\/\/\S+/)![0]).searchParams.has("ui_locales")).toBe(false)
  })

  it("a password reset asked for on a Japanese page is mailed in Japanese, and its link opens a Japanese form", async () => {
    const user = await seedUser()
    const browser = new Browser()
    const response = await requestPasswordReset(browser, user.email, "ja")
    expect(await response.text()).toContain(`<html lang="ja">`)
    const mail = await latestMail(user.email)
    expect(mail.subject).toBe("パスワードの再設定")
    const link = mail.text.match(/https?:\/\/\S+/)![0]
    const form = await (await browser.request(link)).text()
    expect(form).toContain(`<html lang="ja">`)
    expect(form).toContain("新しいパスワード")
  })

  it("backend refusals are shown in Japanese: the password policy, the email change refusal, a wrong passkey-free form_post page", async () => {
    const user = await seedUser()
    const browser = new Browser()
    const ja = { "accept-language": "ja" }
    const back = await submitLoginForm(browser, await browser.follow(await browser.request("/account")), user)
    await browser.follow(back)
    const passwordPage = await (await browser.request("/account/password", { headers: ja })).text()
    const csrf = /name="csrf" value="([^"]+)"/.exec(passwordPage)?.[1] ?? ""
    const post = (path: string, fields: Record<string, string>) =>
      browser.request(path, { method: "POST", headers: { ...ja, "content-type": "application/x-www-form-urlencoded" }, body: new URLSearchParams(fields).toString() })
    const short = await post("/account/password", { csrf, current: user.password, password: "short", confirm: "short" })
    expect(short.status).toBe(400)
    const shortHtml = await short.text()
    expect(shortHtml).toContain(`<html lang="ja">`)
    expect(shortHtml).toContain("8 文字以上のパスワードを設定してください。")
    expect(shortHtml).not.toContain("Choose a password")
    const same = await post("/account/email", { csrf, email: user.email })
    expect(same.status).toBe(400)
    expect(await same.text()).toContain("それはすでに現在のメールアドレスです。")
  })

  it("the form_post auto-submit page is in the request's language", async () => {
    const client = await seedClient()
    const user = await seedUser()
    const browser = new Browser()
    const login = await browser.follow(await browser.request(authorizeUrl(client.clientId, { ui_locales: "ja", response_mode: "form_post" })))
    const consent = await browser.follow(await submitLoginForm(browser, login, user))
    const posted = await submitConsentForm(browser, consent, "approve")
    expect(posted.status).toBe(200)
    const html = await posted.text()
    expect(html).toContain(`<html lang="ja">`)
    expect(html).toContain(`name="code"`)
    expect(html).not.toContain("JavaScript is off")
  })
})
