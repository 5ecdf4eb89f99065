/**
 * The console's navigation bar, in order. A new page area adds one entry here and its
 * routes to console_routes.ts (services/edge/README.md, "Admin console").
 */
import type { MessageKey } from "../i18n/messages_en.ts"

/** One entry of the bar: `section` is what pages name as theirs (`aria-current`). */
export interface ConsoleNavEntry {
  readonly section: string
  readonly href: string
  readonly label: MessageKey
}

export const consoleNavigation: ReadonlyArray<ConsoleNavEntry> = [
  { section: "dashboard", href: "/admin", label: "console.nav.dashboard" },
  { section: "clients", href: "/admin/clients", label: "console.nav.clients" },
  { section: "users", href: "/admin/users", label: "console.nav.users" },
  { section: "roles", href: "/admin/roles", label: "console.nav.roles" },
  // console-schema
  { section: "customFields", href: "/admin/custom-fields", label: "console.nav.customFields" },
  { section: "scopeMappings", href: "/admin/scope-mappings", label: "console.nav.scopeMappings" },
  { section: "identityProviders", href: "/admin/identity-providers", label: "console.nav.identityProviders" },
  // end console-schema
  { section: "audit", href: "/admin/audit", label: "console.nav.audit" },
  { section: "keys", href: "/admin/keys", label: "console.nav.keys" },
  { section: "registration", href: "/admin/initial-access-tokens", label: "console.nav.registration" },
  { section: "settings", href: "/admin/settings", label: "console.nav.settings" },
  // console-branding
  { section: "branding", href: "/admin/branding", label: "console.nav.branding" }
]
