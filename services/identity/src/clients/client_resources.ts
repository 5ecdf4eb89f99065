/**
 * RFC 8707 resource indicators a client may name (migration 0025, column
 * `resources`): validated when the client is written (seed file, admin API,
 * console; never dynamic registration). Default: none, a `resource` parameter
 * is then `invalid_target`. The edge enforces the list at /authorize, /par and
 * /token (services/edge/src/resource_indicators/).
 */
import { isResourceIndicator } from "@authrim/contracts"

/** Most resources one client may list (compared as exact strings). */
export const MAX_CLIENT_RESOURCES = 10

/** Why `resources` cannot be stored for a client, or null. */
export const clientResourcesProblem = (resources: ReadonlyArray<string>): string | null => {
  if (resources.length > MAX_CLIENT_RESOURCES) return `resources lists more than ${MAX_CLIENT_RESOURCES}`
  if (new Set(resources).size !== resources.length) return "resources has duplicates"
  const bad = resources.find((r) => !isResourceIndicator(r))
  return bad === undefined ? null : `resources must be absolute URIs without a fragment: ${bad}`
}
