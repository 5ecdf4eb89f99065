/**
 * The identity worker's non-RPC boundaries (wired in index.ts's default export):
 * the `AUDIT_QUEUE` consumer and the 02:00 UTC daily cron (expired-row purge,
 * audit archive). Each runs its
 * Effect once here; a failed archive run rejects, so the cron shows as failed
 * and the next day's run picks up where it stopped (nothing was deleted that
 * is not in R2).
 */
import { logger, misconfigured, type Misconfigured, type Unavailable } from "@authrim/contracts"
import { Effect } from "effect"
import type { ServiceEnv } from "./env.ts"
import { purgeExpiredRows } from "./expired_rows.ts"
import { archiveAuditLog } from "./audit/audit_archive.ts"
import { consumeAuditDelivery } from "./audit/audit_writer.ts"

/** Queue handler: write the delivery's events, ack what was written, retry the rest with backoff. */
export const handleAuditQueue = (batch: MessageBatch<unknown>, env: ServiceEnv): Promise<void> =>
  Effect.runPromise(Effect.asVoid(consumeAuditDelivery(env.DB, batch)))

/** Cron handler (cron `0 2 * * *`): the expired-row purge, then the archive run (a missing bucket fails only the archive). */
export const handleDailyCron = (controller: ScheduledController, env: ServiceEnv): Promise<void> => {
  const now = controller.scheduledTime
  const bucket = env.AUDIT_ARCHIVE
  const archive: Effect.Effect<unknown, Misconfigured | Unavailable> = bucket === undefined
    ? Effect.fail(misconfigured("identity", "AUDIT_ARCHIVE", "is not bound (R2 bucket authrim-audit-archive)"))
    : archiveAuditLog(env.DB, bucket, { now })
  const run = Effect.gen(function*() {
    const purged = yield* purgeExpiredRows(env.DB, now)
    const archived = yield* archive
    yield* logger("identity").info("identity daily run", { purged, archived })
  })
  return Effect.runPromise(run)
}
