// Migrates the shared D1 database (the backends' "authrim-local") before every test file; applied migrations are recorded, so this is idempotent.
import { applyD1Migrations, env } from "cloudflare:test"

await applyD1Migrations(env.DB, env.TEST_MIGRATIONS)
