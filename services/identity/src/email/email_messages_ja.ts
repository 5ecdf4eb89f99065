/** The words of every email in Japanese (です・ます調); typed by the English catalogue. */
import type { EmailCatalogue } from "./email_messages_en.ts"

export const emailMessagesJa: EmailCatalogue = {
  "magicLink.subject": "ログイン用リンクのお知らせ",
  "magicLink.intro": "ログインを完了するには、リンクをリクエストしたブラウザで次のリンクを開いてください:",
  "magicLink.outro": "このリンクは 1 回だけ使用でき、{minutes} 分後に無効になります。ログインをリクエストした覚えがない場合は、このメールを無視してください。",

  "passwordReset.subject": "パスワードの再設定",
  "passwordReset.intro": "このアカウントのパスワード再設定がリクエストされました。次のリンクから新しいパスワードを設定してください:",
  "passwordReset.outro": "このリンクは 1 回だけ使用でき、{minutes} 分後に無効になります。お心当たりがない場合は、このメールを無視してください。パスワードは変更されません。",

  "emailChange.subject": "新しいメールアドレスの確認",
  "emailChange.intro": "このメールアドレスをアカウントで使用するリクエストがありました。次のリンクを開いて確認してください:",
  "emailChange.outro": "このリンクは 1 回だけ使用でき、{minutes} 分後に無効になります。お心当たりがない場合は、このメールを無視してください。何も変更されません。",

  "notice.outro": "ご自身による操作であれば、対応は不要です。お心当たりがない場合は、ただちにログイン画面からパスワードを再設定し、アカウントのパスキー、2 段階認証、ログイン中のセッションを確認してください。",
  "notice.newAddress": "新しいメールアドレスは {email} です。",
  "notice.passkey_added.subject": "アカウントにパスキーが追加されました",
  "notice.passkey_added.what": "あなたのアカウントに新しいパスキーが追加されました。",
  "notice.passkey_removed.subject": "アカウントからパスキーが削除されました",
  "notice.passkey_removed.what": "あなたのアカウントからパスキーが削除されました。",
  "notice.totp_enabled.subject": "2 段階認証がオンになりました",
  "notice.totp_enabled.what": "あなたのアカウントで 2 段階認証（認証アプリのコード）がオンになりました。",
  "notice.totp_disabled.subject": "2 段階認証がオフになりました",
  "notice.totp_disabled.what": "あなたのアカウントで 2 段階認証がオフになりました。",
  "notice.recovery_codes_regenerated.subject": "リカバリーコードが再発行されました",
  "notice.recovery_codes_regenerated.what": "あなたのアカウントのリカバリーコードが再発行されました。以前のコードは使用できません。",
  "notice.password_changed.subject": "パスワードが変更されました",
  "notice.password_changed.what": "あなたのアカウントのパスワードが変更されました。",
  "notice.password_reset.subject": "パスワードが再設定されました",
  "notice.password_reset.what": "メールで送信したリンクからアカウントのパスワードが再設定され、アカウントのすべてのセッションがログアウトされました。",
  "notice.email_change_requested.subject": "メールアドレスの変更がリクエストされました",
  "notice.email_change_requested.what": "アカウントにログインしている方から、メールアドレスの変更がリクエストされました。新しいメールアドレスに送信したリンクが開かれない限り、何も変更されません。",
  "notice.email_changed.subject": "メールアドレスが変更されました",
  "notice.email_changed.what": "あなたのアカウントのメールアドレスが変更されました。",

  // Branding (issue 12 §5; email_branding.ts): every email's signature (product name) and support line; subjects stay as they are (mail filters and existing readers key on them).
  "brand.signature": "{product}",
  "brand.support": "お問い合わせ: {support}"
}
