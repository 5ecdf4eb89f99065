/**
 * Structured logs (issue 11 §4): one JSON object per line,
 * `{"level","msg","service","requestId",…fields}`, which Workers Logs and
 * Logpush index as fields. `logger(service)` gives Effects that read the
 * request being served (`CurrentRequest`, request_context.ts), so every line
 * written while serving a request — at the edge or in any backend it calls —
 * carries that request's id. `writeLog` is the same line for code that runs
 * outside an Effect (a fetch boundary's defect catch, a sync parser); it takes
 * the request id explicitly.
 */
import { Effect } from "effect"
import { CurrentRequest } from "./request_context.ts"

export type LogLevel = "debug" | "info" | "warn" | "error"

/** Extra fields of a line; `level`, `msg`, `service` and `requestId` are set by the logger and win over these. */
export type LogFields = Readonly<Record<string, unknown>>

/** The JSON text of one line. Errors in `fields` are written as `{ name, message }` (no stack: the line stays one line). */
export const logLine = (level: LogLevel, service: string, msg: string, requestId: string | null, fields?: LogFields): string =>
  JSON.stringify({ ...fields, level, msg, service, requestId }, (_key, value: unknown) =>
    value instanceof Error ? { name: value.name, message: value.message } : value)

const sink: Record<LogLevel, (line: string) => void> = {
  debug: (line) => console.debug(line),
  info: (line) => console.log(line),
  warn: (line) => console.warn(line),
  error: (line) => console.error(line)
}

/** Writes one line now (for code outside an Effect). Never throws. */
export const writeLog = (level: LogLevel, service: string, msg: string, requestId: string | null, fields?: LogFields): void => {
  try {
    sink[level](logLine(level, service, msg, requestId, fields))
  } catch {
    // a field that cannot be serialised (a cycle, a BigInt) must not fail the work that logs it
    sink[level](logLine(level, service, msg, requestId, { unserialisable: true }))
  }
}

/** The logging Effects of one service; each line carries the id of the request being served (null outside one). */
export interface Logger {
  readonly debug: (msg: string, fields?: LogFields) => Effect.Effect<void>
  readonly info: (msg: string, fields?: LogFields) => Effect.Effect<void>
  readonly warn: (msg: string, fields?: LogFields) => Effect.Effect<void>
  readonly error: (msg: string, fields?: LogFields) => Effect.Effect<void>
}

const at = (level: LogLevel, service: string) => (msg: string, fields?: LogFields): Effect.Effect<void> =>
  Effect.map(CurrentRequest, (request) => writeLog(level, service, msg, request?.requestId ?? null, fields))

/** `const log = logger("identity")`, then `yield* log.warn("…", { … })`. */
export const logger = (service: string): Logger => ({
  debug: at("debug", service),
  info: at("info", service),
  warn: at("warn", service),
  error: at("error", service)
})
