/**
 * The console client a deployment registers (scripts/deploy/console_client_registration.ts),
 * run against every migration applied in SQLite (node:sqlite): created public / PKCE /
 * `openid admin` / no consent; a second run writes nothing; an existing client keeps its
 * other redirect URIs and gets the callback added; quotes in the issuer cannot break out.
 */
import { readdirSync, readFileSync } from "node:fs"
import path from "node:path"
import { createRequire } from "node:module"
import { Schema } from "effect"
import { describe, expect, it } from "vitest"
import { consoleClientCommands, consoleClientSql } from "../deploy/console_client_registration.ts"

const { DatabaseSync } = createRequire(import.meta.url)("node:sqlite") as typeof import("node:sqlite")
const migrations = path.resolve(import.meta.dirname, "../../migrations")

const migrated = () => {
  const db = new DatabaseSync(":memory:")
  for (const file of readdirSync(migrations).filter((f) => f.endsWith(".sql")).sort()) db.exec(readFileSync(path.join(migrations, file), "utf8"))
  return db
}

/** The columns this test reads, decoded (node:sqlite answers untyped rows). */
const Row = Schema.Struct({
  client_secret_hash: Schema.NullOr(Schema.String), redirect_uris: Schema.String, token_endpoint_auth_method: Schema.String, scope: Schema.String,
  skip_consent: Schema.Number, grant_types: Schema.String, response_types: Schema.String, version: Schema.Number
})
const row = (db: InstanceType<typeof DatabaseSync>) =>
  Schema.decodeUnknownSync(Row)(db.prepare("SELECT * FROM oauth_clients WHERE client_id = 'authrim-admin'").get())

describe("console client registration (npm run deploy)", () => {
  it("creates the public PKCE client with the issuer's callback; a second run writes nothing", () => {
    const db = migrated()
    db.exec(consoleClientSql("https://id.example.com", 1000))
    const created = row(db)
    expect(created).toMatchObject({
      client_secret_hash: null, token_endpoint_auth_method: "none", scope: "openid admin", skip_consent: 1, version: 1,
      grant_types: `["authorization_code","refresh_token"]`, response_types: `["code"]`
    })
    expect(JSON.parse(created.redirect_uris)).toEqual(["https://id.example.com/admin/callback"])
    db.exec(consoleClientSql("https://id.example.com/", 2000))
    expect(row(db)).toEqual(created)
  })

  it("an existing client keeps its other redirect URIs, gets the callback added and is made public / openid admin / no consent", () => {
    const db = migrated()
    db.exec(`INSERT INTO oauth_clients (client_id, client_name, client_secret_hash, redirect_uris, grant_types, response_types, token_endpoint_auth_method, scope, skip_consent, created_at, updated_at)
      VALUES ('authrim-admin', 'old', 'sha256$00', '["http://127.0.0.1:8787/admin/callback"]', '["authorization_code"]', '["code"]', 'client_secret_basic', 'openid', 0, 1, 1)`)
    db.exec(consoleClientSql("https://id.example.com", 3000))
    const updated = row(db)
    expect(JSON.parse(updated.redirect_uris)).toEqual(["http://127.0.0.1:8787/admin/callback", "https://id.example.com/admin/callback"])
    expect(updated).toMatchObject({ client_secret_hash: null, token_endpoint_auth_method: "none", scope: "openid admin", skip_consent: 1, version: 2 })
    db.exec(consoleClientSql("https://id.example.com", 4000))
    expect(row(db).version).toBe(2)
  })

  it("a quote in the issuer stays data; the commands are the upsert then the CLIENTS cache purge", () => {
    const db = migrated()
    db.exec(consoleClientSql("https://id.example.com/x'); DROP TABLE oauth_clients; --", 1))
    expect(JSON.parse(row(db).redirect_uris)).toEqual(["https://id.example.com/x'); DROP TABLE oauth_clients; --/admin/callback"])
    const [upsert, purge] = consoleClientCommands("https://id.example.com", 1, "DB", "/d/identity.json", "/d/identity.json")
    expect(upsert!.slice(0, 6)).toEqual(["d1", "execute", "DB", "--remote", "-c", "/d/identity.json"])
    expect(purge).toEqual(["kv", "key", "delete", "client:authrim-admin", "--binding", "CLIENTS", "--remote", "-c", "/d/identity.json"])
  })
})
