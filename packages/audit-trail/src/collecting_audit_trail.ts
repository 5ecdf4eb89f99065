/**
 * A test `AuditTrail` that keeps what it is given, one entry per `record`
 * call (= one queue message), so a service's tests can assert which events a
 * domain function emits, and that it sends at most one message per call.
 */
import type { AuditEvent } from "@authrim/contracts"
import { Effect, Layer } from "effect"
import { AuditTrail } from "./audit_trail.ts"

export interface CollectedAudit {
  /** Each non-empty `record` call's events, in call order. */
  readonly batches: Array<ReadonlyArray<AuditEvent>>
  /** Every event recorded so far. */
  readonly events: () => ReadonlyArray<AuditEvent>
  /** Forgets what was recorded. */
  readonly clear: () => void
  readonly service: (typeof AuditTrail)["Service"]
  readonly layer: Layer.Layer<AuditTrail>
}

export const collectingAuditTrail = (): CollectedAudit => {
  const batches: Array<ReadonlyArray<AuditEvent>> = []
  const service: (typeof AuditTrail)["Service"] = {
    record: (events) => Effect.sync(() => {
      if (events.length > 0) batches.push([...events])
    })
  }
  return {
    batches,
    events: () => batches.flat(),
    clear: () => void batches.splice(0, batches.length),
    service,
    layer: Layer.succeed(AuditTrail, service)
  }
}
