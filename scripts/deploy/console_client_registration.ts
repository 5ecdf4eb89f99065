/**
 * The admin console's OIDC client in a real deployment (issue 12 §2): the public PKCE
 * client `authrim-admin` (scope `openid admin`, no consent screen, redirect
 * `<ISSUER>/admin/callback`), as `npm start` registers it locally (`withConsoleClient`
 * in scripts/local_stack.ts).
 *
 * `npm run deploy` runs it right after `d1 migrations apply` (the `oauth_clients` table
 * exists only from then on; `npm run setup` runs before the first migration) and
 * before the workers are deployed (so no isolate keeps an old copy in memory):
 * 1. one idempotent SQL upsert through `wrangler d1 execute DB --remote`: creates the
 *    client, or makes an existing one public / `openid admin` / no consent and ADDS the
 *    callback to its redirect URIs (others kept). When nothing differs the `WHERE` of
 *    the `DO UPDATE` matches nothing: a second run writes nothing (version unchanged);
 * 2. `wrangler kv key delete client:authrim-admin` in `CLIENTS` (identity's cache key,
 *    services/identity/src/clients/client_cache.ts) so the next request reads the row.
 */

/** The console's client id (the same as scripts/local_stack.ts `CONSOLE_CLIENT_ID`). */
export const CONSOLE_CLIENT = "authrim-admin"

const quoted = (value: string) => `'${value.replace(/'/g, "''")}'`

/** The redirect URI of the console of `issuer`. */
export const consoleCallbackOf = (issuer: string): string => `${issuer.replace(/\/+$/, "")}/admin/callback`

/** The upsert of the console client for `issuer` at `now` (epoch ms). */
export const consoleClientSql = (issuer: string, now: number): string => {
  const callback = quoted(consoleCallbackOf(issuer))
  const hasCallback = `EXISTS (SELECT 1 FROM json_each(oauth_clients.redirect_uris) WHERE value = ${callback})`
  return [
    "INSERT INTO oauth_clients (client_id, client_name, client_secret_hash, redirect_uris, post_logout_redirect_uris, grant_types, response_types,",
    "  token_endpoint_auth_method, scope, skip_consent, created_at, updated_at)",
    `VALUES (${quoted(CONSOLE_CLIENT)}, 'Authrim admin console', NULL, json_array(${callback}), '[]', '["authorization_code","refresh_token"]', '["code"]',`,
    `  'none', 'openid admin', 1, ${Math.trunc(now)}, ${Math.trunc(now)})`,
    "ON CONFLICT (client_id) DO UPDATE SET",
    "  client_secret_hash = NULL, token_endpoint_auth_method = 'none', scope = 'openid admin', skip_consent = 1,",
    "  grant_types = excluded.grant_types, response_types = excluded.response_types,",
    `  redirect_uris = CASE WHEN ${hasCallback} THEN oauth_clients.redirect_uris ELSE json_insert(oauth_clients.redirect_uris, '$[#]', ${callback}) END,`,
    "  updated_at = excluded.updated_at, version = oauth_clients.version + 1",
    `WHERE NOT (${hasCallback} AND oauth_clients.client_secret_hash IS NULL AND oauth_clients.token_endpoint_auth_method = 'none'`,
    "  AND oauth_clients.scope = 'openid admin' AND oauth_clients.skip_consent = 1 AND oauth_clients.grant_types = excluded.grant_types",
    "  AND oauth_clients.response_types = excluded.response_types);"
  ].join("\n")
}

/** The wrangler commands registering the console client: the upsert (`configWithDb` binds the database as `dbBinding`), then the cache purge (`configWithClients` binds `CLIENTS`). */
export const consoleClientCommands = (issuer: string, now: number, dbBinding: string, configWithDb: string, configWithClients: string): ReadonlyArray<ReadonlyArray<string>> => [
  ["d1", "execute", dbBinding, "--remote", "-c", configWithDb, "--command", consoleClientSql(issuer, now)],
  ["kv", "key", "delete", `client:${CONSOLE_CLIENT}`, "--binding", "CLIENTS", "--remote", "-c", configWithClients]
]
