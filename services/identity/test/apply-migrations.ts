// Applies the D1 migrations before every test file (idempotent: applied ones are recorded).
import { applyD1Migrations, env } from "cloudflare:test"

await applyD1Migrations(env.DB, env.TEST_MIGRATIONS)
