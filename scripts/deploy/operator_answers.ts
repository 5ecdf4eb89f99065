/**
 * The operator's settings for an environment: a flag wins, then what the
 * previous setup kept in the generated config (so a second run asks nothing),
 * then a question. Defaults are derived from the issuer where one is safe.
 */
import type { DeploymentConfig } from "./deployment_config.ts"
import { operatorSettingsProblems, type EmailTransport, type OperatorSettings } from "./production_settings.ts"

/** Asks one question (`suggestion` is taken on an empty answer). */
export type Ask = (question: string, suggestion?: string) => Promise<string>

/** Settings given as flags (`--issuer`, `--email-from`, `--webauthn-rp-id`, …). */
export type SettingFlags = Partial<Record<keyof OperatorSettings, string>>

/** The settings to deploy with; throws listing every problem. */
export const operatorAnswers = async (flags: SettingFlags, previous: DeploymentConfig | undefined, ask: Ask): Promise<OperatorSettings> => {
  const before = previous?.settings ?? undefined
  const answer = async (key: keyof OperatorSettings, question: string, suggestion?: string): Promise<string> =>
    flags[key] ?? before?.[key] ?? (await ask(question, suggestion))
  const issuer = (await answer("issuer", "Issuer URL (https://id.example.com)")).replace(/\/+$/, "")
  const host = URL.canParse(issuer) ? new URL(issuer).hostname : undefined
  const emailFrom = await answer("emailFrom", "Email sender (Authrim <no-reply@example.com>)")
  const emailTransport = (flags.emailTransport ?? before?.emailTransport ?? "send_email") as EmailTransport
  if (emailTransport !== "send_email" && emailTransport !== "http") throw new Error(`--email-transport ${emailTransport}: use send_email or http`)
  const emailHttpUrl = emailTransport === "http" ? await answer("emailHttpUrl", "Email HTTP API URL") : undefined
  const webauthnRpId = await answer("webauthnRpId", "WebAuthn relying-party id (the issuer's domain or a parent of it)", host)
  const webauthnRpName = flags.webauthnRpName ?? before?.webauthnRpName ?? "Authrim"
  const settings: OperatorSettings = { issuer, emailFrom, emailTransport, ...(emailHttpUrl === undefined ? {} : { emailHttpUrl }), webauthnRpId, webauthnRpName }
  const problems = operatorSettingsProblems(settings)
  if (problems.length > 0) throw new Error(`setup cannot use these settings:\n- ${problems.join("\n- ")}`)
  return settings
}
