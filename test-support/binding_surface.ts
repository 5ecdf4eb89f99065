/**
 * Least privilege between services, checked (issue 13 §2): each service's
 * test (services/<name>/test/binding_surface.test.ts) keeps one allow-list per
 * caller binding — "which methods may <caller>'s <BINDING> call" — and
 * `surfaceProblems` compares it with what the bound entrypoint really exposes
 * in workerd (the methods on the class's prototype chain, as Workers RPC
 * finds them). Any difference is a problem: a method outside the caller's
 * list (someone added it to the wrong entrypoint), a listed method the
 * entrypoint lacks (a stale list), a binding with no list, a list no binding
 * uses, a binding to an entrypoint the worker does not export, an exported
 * entrypoint nobody binds and no "public" list (issue 13 §1's consumer
 * entrypoints) covers. Pure: runs in
 * the worker under test (which passes `WorkerEntrypoint`, where the walk up
 * the prototype chain stops); the bindings come from service_bindings_in_repo.ts.
 */
import { describe, expect, it } from "vitest"

/** One `services` entry of a committed wrangler config. */
export interface DeclaredServiceBinding {
  /** The calling worker's `name`. */
  readonly caller: string
  /** Its config, relative to the repository root. */
  readonly config: string
  readonly binding: string
  readonly service: string
  /** "default" when the config names none. */
  readonly entrypoint: string
}

/**
 * `"<caller> <BINDING>"` → the methods that caller may call through that binding; and
 * `"public <Entrypoint>"` → the methods of an entrypoint other teams' Workers bind (issue 13 §1), which no
 * committed config binds but which is checked the same way.
 */
export type AllowLists = Readonly<Record<string, ReadonlyArray<string>>>

/** A class (an entrypoint class, or `WorkerEntrypoint`). */
type ClassLike = abstract new (...args: never) => object

/** The RPC methods of an entrypoint class: functions on its prototype chain below `base` (`WorkerEntrypoint`). */
export const rpcMethodsOf = (entrypoint: ClassLike, base: ClassLike): Array<string> => {
  const names = new Set<string>()
  for (let proto: object | null = entrypoint.prototype as object; proto !== null && proto !== base.prototype && proto !== Object.prototype; proto = Object.getPrototypeOf(proto)) {
    for (const name of Object.getOwnPropertyNames(proto)) {
      if (name !== "constructor" && typeof Object.getOwnPropertyDescriptor(proto, name)?.value === "function") names.add(name)
    }
  }
  return [...names].sort()
}

/**
 * What is wrong with the bindings to `service` (a worker name, e.g. "authrim-session"),
 * given the worker's module exports, the allow-lists and `WorkerEntrypoint`; `[]` when every binding carries exactly its list.
 */
export const surfaceProblems = (
  service: string,
  bindings: ReadonlyArray<DeclaredServiceBinding>,
  workerExports: Readonly<Record<string, unknown>>,
  allowLists: AllowLists,
  base: ClassLike
): Array<string> => {
  const problems: Array<string> = []
  const checkMethods = (key: string, name: string, allowed: ReadonlyArray<string>) => {
    const exposed = rpcMethodsOf(workerExports[name] as ClassLike, base)
    for (const method of exposed) if (!allowed.includes(method)) problems.push(`${key} → ${name} exposes ${method}, outside the caller's list`)
    for (const method of allowed) if (!exposed.includes(method)) problems.push(`${key} → ${name} lacks ${method}, which the caller's list names (stale list?)`)
  }
  const mine = bindings.filter((b) => b.service === service)
  for (const b of mine) {
    const key = `${b.caller} ${b.binding}`
    const allowed = allowLists[key]
    const entrypoint = workerExports[b.entrypoint]
    if (allowed === undefined) {
      problems.push(`${key} (${b.config}) → ${b.entrypoint}: no allow-list for this binding`)
      continue
    }
    if (typeof entrypoint !== "function") {
      problems.push(`${key} (${b.config}) → ${b.entrypoint}: ${service} exports no such entrypoint`)
      continue
    }
    checkMethods(key, b.entrypoint, allowed)
  }
  for (const [key, allowed] of Object.entries(allowLists)) {
    if (key.startsWith("public ")) {
      const name = key.slice("public ".length)
      if (typeof workerExports[name] !== "function") problems.push(`${key}: ${service} exports no such entrypoint`)
      else checkMethods(key, name, allowed)
    } else if (!mine.some((b) => `${b.caller} ${b.binding}` === key)) problems.push(`${key}: allow-list of a binding no committed config declares`)
  }
  // Every exported entrypoint is someone's: bound by a committed config, or public with its own list.
  for (const [name, value] of Object.entries(workerExports)) {
    const isEntrypoint = typeof value === "function" && (base.prototype as object).isPrototypeOf((value as ClassLike).prototype as object)
    if (isEntrypoint && !mine.some((b) => b.entrypoint === name) && allowLists[`public ${name}`] === undefined) {
      problems.push(`${name}: an exported entrypoint no committed config binds and no "public ${name}" list covers`)
    }
  }
  return problems
}

/**
 * The test every service runs (services/<name>/test/binding_surface.test.ts): the committed bindings to
 * `service` carry exactly their callers' lists — and the check itself fails when an entrypoint grows a
 * method, when a binding has no list, and when a list names a binding nobody declares.
 */
export const bindingSurfaceSuite = (
  service: string,
  bindingsJson: string,
  workerExports: Readonly<Record<string, unknown>>,
  allowLists: AllowLists,
  base: ClassLike
): void => {
  const bindings: ReadonlyArray<DeclaredServiceBinding> = JSON.parse(bindingsJson)
  describe(`binding surface of ${service} (issue 13 §2: each caller's binding carries only its methods)`, () => {
    it("every committed binding to it exposes exactly its caller's list", () => {
      expect(bindings.filter((b) => b.service === service).length).toBeGreaterThan(0)
      expect(surfaceProblems(service, bindings, workerExports, allowLists, base)).toEqual([])
    })

    it("fails when a method is added to a bound entrypoint, a binding has no list, or a list outlives its binding", () => {
      const first = bindings.find((b) => b.service === service)!
      const Bound = workerExports[first.entrypoint] as ClassLike
      // What adding a method to the wrong entrypoint looks like to the check: a subclass with one more method.
      const Wider = class extends Bound { exportEverything() { return "oops" } }
      expect(surfaceProblems(service, bindings, { ...workerExports, [first.entrypoint]: Wider }, allowLists, base))
        .toContain(`${first.caller} ${first.binding} → ${first.entrypoint} exposes exportEverything, outside the caller's list`)
      const unlisted = { ...first, binding: "NEW_BINDING" }
      expect(surfaceProblems(service, [...bindings, unlisted], workerExports, allowLists, base)).toContain(
        `${first.caller} NEW_BINDING (${first.config}) → ${first.entrypoint}: no allow-list for this binding`
      )
      expect(surfaceProblems(service, bindings, workerExports, { ...allowLists, "authrim-gone GONE": [] }, base)).toContain(
        "authrim-gone GONE: allow-list of a binding no committed config declares"
      )
      expect(surfaceProblems(service, bindings, { ...workerExports, StrayEntrypoint: Wider }, allowLists, base)).toContain(
        'StrayEntrypoint: an exported entrypoint no committed config binds and no "public StrayEntrypoint" list covers'
      )
    })
  })
}
