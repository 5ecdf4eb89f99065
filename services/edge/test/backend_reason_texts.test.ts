/**
 * The backends' English refusals as the pages show them (i18n/backend_reason_texts.ts):
 * typed reasons and known wordings map to catalogue keys; numbers are kept;
 * an unknown wording is shown as it came rather than dropped.
 */
import { describe, expect, it } from "vitest"
import { emailChangeRefusalText, passkeyRejectedText, passwordPolicyText, signInRefusalText } from "../src/i18n/backend_reason_texts.ts"

describe("backend refusals in the page's language", () => {
  it("password policy: the bound is kept", () => {
    expect(passwordPolicyText("ja", "Choose a password of at least 12 characters.")).toBe("12 文字以上のパスワードを設定してください。")
    expect(passwordPolicyText("ja", "Choose a password of at most 64 characters.")).toBe("64 文字以内のパスワードを設定してください。")
    expect(passwordPolicyText("en", "Choose a password of at least 12 characters.")).toBe("Choose a password of at least 12 characters.")
    expect(passwordPolicyText("ja", "something new")).toBe("something new")
  })

  it("passkeys: each typed reason; a cloned authenticator keeps its counter values", () => {
    for (const reason of ["challenge", "unknown_credential", "verification_failed", "counter_rollback", "already_registered"] as const) {
      expect(passkeyRejectedText("ja", { reason, description: "x" })).toMatch(/[\u3040-\u30ff]/)
    }
    expect(passkeyRejectedText("ja", { reason: "counter_rollback", description: "this passkey's signature counter went from 10 to 5: the authenticator may have been cloned" }))
      .toContain("10 から 5")
  })

  it("email change and sign-in refusals", () => {
    expect(emailChangeRefusalText("ja", "enter a valid email address")).toBe("有効なメールアドレスを入力してください。")
    expect(emailChangeRefusalText("ja", "that is already your email address")).toBe("それはすでに現在のメールアドレスです。")
    expect(signInRefusalText("ja", "Password sign-in is turned off. Use another way to sign in.")).toBe("パスワードでのログインは無効になっています。別の方法でログインしてください。")
    expect(signInRefusalText("ja", "Two-step verification is required: sign in with a passkey, then set up an authenticator app on your account page.")).toContain("2 段階認証が必要です")
  })
})
