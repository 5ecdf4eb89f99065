/**
 * The identity worker's audit boundaries: the `AUDIT_QUEUE` consumer and the
 * 02:00 UTC archive cron (wired in index.ts's default export). Each runs its
 * Effect once here; a failed archive run rejects, so the cron shows as failed
 * and the next day's run picks up where it stopped (nothing was deleted that
 * is not in R2).
 */
import { misconfigured, type Misconfigured, type Unavailable } from "@authrim/contracts"
import { Effect } from "effect"
import type { ServiceEnv } from "../env.ts"
import { archiveAuditLog } from "./audit_archive.ts"
import { consumeAuditDelivery } from "./audit_writer.ts"

/** Queue handler: write the delivery's events, ack what was written, retry the rest with backoff. */
export const handleAuditQueue = (batch: MessageBatch<unknown>, env: ServiceEnv): Promise<void> =>
  Effect.runPromise(Effect.asVoid(consumeAuditDelivery(env.DB, batch)))

/** Cron handler: the archive run (cron `0 2 * * *`). */
export const handleAuditCron = (controller: ScheduledController, env: ServiceEnv): Promise<unknown> => {
  const bucket = env.AUDIT_ARCHIVE
  const run: Effect.Effect<unknown, Misconfigured | Unavailable> = bucket === undefined
    ? Effect.fail(misconfigured("identity", "AUDIT_ARCHIVE", "is not bound (R2 bucket authrim-audit-archive)"))
    : archiveAuditLog(env.DB, bucket, { now: controller.scheduledTime }).pipe(
      Effect.tap((written) => Effect.sync(() => console.log(JSON.stringify({ level: "info", msg: "audit archive run", objects: written })))))
  return Effect.runPromise(run)
}
