/** The command-line options of `npm run setup` and `npm run deploy`. */
import { parseArgs } from "node:util"
import { checkEnvironmentName, defaultEnvironment, deployOrder, type ServiceName } from "./deployment_names.ts"
import type { SettingFlags } from "./operator_answers.ts"

/** `npm run setup [-- --env <name>] [--yes] [--reset] [--issuer …] [--email-from …] [--webauthn-rp-id …]`. */
export const setupOptions = (argv: ReadonlyArray<string>) => {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      env: { type: "string", default: defaultEnvironment },
      yes: { type: "boolean", short: "y", default: false },
      reset: { type: "boolean", default: false },
      issuer: { type: "string" },
      "email-from": { type: "string" },
      "email-transport": { type: "string" },
      "email-http-url": { type: "string" },
      "webauthn-rp-id": { type: "string" },
      "webauthn-rp-name": { type: "string" }
    }
  })
  const flags: SettingFlags = Object.fromEntries(
    Object.entries({
      issuer: values.issuer,
      emailFrom: values["email-from"],
      emailTransport: values["email-transport"],
      emailHttpUrl: values["email-http-url"],
      webauthnRpId: values["webauthn-rp-id"],
      webauthnRpName: values["webauthn-rp-name"]
    }).filter(([, v]) => v !== undefined)
  )
  return { env: checkEnvironmentName(values.env), yes: values.yes, reset: values.reset, flags }
}

/** `npm run deploy [-- --env <name>] [--dry-run] [--only <service>[,<service>]]`. */
export const deployOptions = (argv: ReadonlyArray<string>) => {
  const { values } = parseArgs({
    args: [...argv],
    options: { env: { type: "string", default: defaultEnvironment }, "dry-run": { type: "boolean", default: false }, only: { type: "string", multiple: true } }
  })
  const only = values.only?.flatMap((o) => o.split(",")).map((o) => o.trim().replace(/^authrim-/, ""))
  const unknown = only?.filter((o) => !(deployOrder as ReadonlyArray<string>).includes(o)) ?? []
  if (unknown.length > 0) throw new Error(`--only ${unknown.join(",")}: services are ${deployOrder.join(", ")}`)
  return { env: checkEnvironmentName(values.env), dryRun: values["dry-run"], only: only as ReadonlyArray<ServiceName> | undefined }
}
