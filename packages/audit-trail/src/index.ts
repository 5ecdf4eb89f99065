/**
 * @authrim/audit-trail: how a service puts audit events on `AUDIT_QUEUE`
 * (issue 11 §2). The message shape is the contract (contracts/src/audit.ts);
 * identity's consumer writes it into D1. One `AuditTrail` service per worker,
 * built in the worker's Layer from its queue binding.
 */
export * from "./audit_event.ts"
export * from "./audit_trail.ts"
