/**
 * What a custom field definition may say, and what a value must be under it.
 * Pure: `definitionProblem` / `valueProblem` answer null (fine) or the bad
 * member and why, so every caller names the field in its refusal.
 */
import type { CustomFieldDefinition, CustomFieldType, CustomFieldValidation, CustomFieldValue } from "@authrim/contracts"

/** Default and ceiling of a string value's length, in code points. */
export const DEFAULT_MAX_LENGTH = 256
export const MAX_MAX_LENGTH = 1_024
const MAX_PATTERN_LENGTH = 200
const MAX_ENUM_VALUES = 50
const MAX_LABEL = 100

/** A refusal: which member (a JSON path) and why. */
export interface RuleProblem {
  readonly field: string
  readonly reason: string
}

const controlCharacters = /[\u0000-\u001f\u007f]/u

/**
 * A pattern is run on user input (account page), so it must not backtrack
 * catastrophically: refused are backreferences (`\1`, `\k<…>`), lookbehind,
 * and a quantified group that itself contains a quantifier (`(a+)+`, `(a|aa)*`
 * is allowed only without inner quantifiers). A heuristic on the source, not
 * a proof — values are also at most 1,024 code points, which bounds the rest.
 */
export const unsafePatternReason = (pattern: string): string | null => {
  if (pattern.length === 0 || pattern.length > MAX_PATTERN_LENGTH) return `must be 1–${MAX_PATTERN_LENGTH} characters`
  try {
    new RegExp(pattern, "u")
  } catch {
    return "is not a valid regular expression"
  }
  if (/\\[1-9]|\\k</u.test(pattern)) return "must not use backreferences"
  if (/\(\?<[=!]/u.test(pattern)) return "must not use lookbehind"
  // Walk the groups: a group whose body holds a quantifier, itself quantified, is refused.
  const stack: Array<boolean> = []
  let quantifiedInside = false
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!
    if (c === "\\") { i++; continue }
    if (c === "[") {
      // Skip a character class (quantifier characters inside it are literals).
      for (i++; i < pattern.length && pattern[i] !== "]"; i++) if (pattern[i] === "\\") i++
      continue
    }
    if (c === "(") { stack.push(quantifiedInside); quantifiedInside = false; continue }
    if (c === ")") {
      const next = pattern[i + 1]
      const groupQuantified = next === "*" || next === "+" || next === "{" || next === "?"
      if (groupQuantified && next !== "?" && quantifiedInside) return "must not nest quantifiers (catastrophic backtracking)"
      quantifiedInside = (stack.pop() ?? false) || quantifiedInside || groupQuantified
      continue
    }
    if (c === "*" || c === "+" || c === "{") quantifiedInside = true
  }
  return null
}

const finite = (value: number | undefined): boolean => value === undefined || Number.isFinite(value)

/** Checks `validation` against `type`; members that do not apply to the type are refused (an admin would expect them to work). */
export const validationProblem = (type: CustomFieldType, validation: CustomFieldValidation): RuleProblem | null => {
  const at = (member: string, reason: string): RuleProblem => ({ field: `validation.${member}`, reason })
  const allowed: Record<CustomFieldType, ReadonlyArray<keyof CustomFieldValidation>> = {
    string: ["maxLength", "pattern"], number: ["min", "max"], boolean: [], date: [], enum: ["enumValues"]
  }
  for (const [member, value] of Object.entries(validation)) {
    if (value !== undefined && !allowed[type].includes(member as keyof CustomFieldValidation)) return at(member, `does not apply to a ${type} field`)
  }
  const { maxLength, pattern, min, max, enumValues } = validation
  if (maxLength !== undefined && (!Number.isInteger(maxLength) || maxLength < 1 || maxLength > MAX_MAX_LENGTH)) return at("maxLength", `must be an integer 1–${MAX_MAX_LENGTH}`)
  if (pattern !== undefined) {
    const reason = unsafePatternReason(pattern)
    if (reason !== null) return at("pattern", reason)
  }
  if (!finite(min)) return at("min", "must be a finite number")
  if (!finite(max)) return at("max", "must be a finite number")
  if (min !== undefined && max !== undefined && min > max) return at("max", "must be at least min")
  if (type === "enum") {
    if (enumValues === undefined || enumValues.length === 0 || enumValues.length > MAX_ENUM_VALUES) return at("enumValues", `must list 1–${MAX_ENUM_VALUES} values`)
    if (new Set(enumValues).size !== enumValues.length) return at("enumValues", "must be distinct")
    const bad = enumValues.findIndex((v) => v.length === 0 || [...v].length > MAX_LABEL || controlCharacters.test(v))
    if (bad >= 0) return at(`enumValues.${bad}`, `must be 1–${MAX_LABEL} characters without control characters`)
  }
  return null
}

/** Labels: 1–100 characters each, no control characters. */
export const labelsProblem = (labels: { readonly en: string; readonly ja: string }): RuleProblem | null => {
  for (const [language, label] of Object.entries(labels)) {
    if (label.trim().length === 0 || [...label].length > MAX_LABEL || controlCharacters.test(label)) {
      return { field: `labels.${language}`, reason: `must be 1–${MAX_LABEL} characters without control characters` }
    }
  }
  return null
}

/** `YYYY-MM-DD`, a real calendar date. */
const isRealDate = (value: string): boolean => {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/u.exec(value)
  if (match === null) return false
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])]
  const date = new Date(Date.UTC(year, month - 1, day))
  return year > 0 && date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day
}

/** A decimal number as a form sends it ("42", "-1.5"); nothing else (no hex, no exponent, no "Infinity"). */
const decimal = /^-?(?:0|[1-9]\d{0,14})(?:\.\d{1,6})?$/u

/**
 * The stored text of `value` under `definition`, or why it is refused. Forms
 * send strings, so a number may come as a decimal string and a boolean as
 * "true"/"false"; the stored text is canonical (`String(number)`, `true`/`false`).
 */
export const storedValueOf = (definition: CustomFieldDefinition, value: CustomFieldValue): { readonly stored: string } | { readonly reason: string } => {
  switch (definition.type) {
    case "string": {
      if (typeof value !== "string") return { reason: "must be a string" }
      const max = definition.validation.maxLength ?? DEFAULT_MAX_LENGTH
      if ([...value].length > max) return { reason: `must be at most ${max} characters` }
      if (controlCharacters.test(value)) return { reason: "must not contain control characters" }
      if (definition.validation.pattern !== undefined && !new RegExp(`^(?:${definition.validation.pattern})$`, "u").test(value)) {
        return { reason: "does not have the expected format" }
      }
      return { stored: value }
    }
    case "number": {
      const number = typeof value === "number" ? value : typeof value === "string" && decimal.test(value.trim()) ? Number(value.trim()) : Number.NaN
      if (!Number.isFinite(number)) return { reason: "must be a number" }
      const { min, max } = definition.validation
      if (min !== undefined && number < min) return { reason: `must be at least ${min}` }
      if (max !== undefined && number > max) return { reason: `must be at most ${max}` }
      return { stored: String(number) }
    }
    case "boolean":
      if (value === true || value === "true") return { stored: "true" }
      if (value === false || value === "false") return { stored: "false" }
      return { reason: "must be true or false" }
    case "date":
      return typeof value === "string" && isRealDate(value) ? { stored: value } : { reason: "must be a real date (YYYY-MM-DD)" }
    case "enum":
      return typeof value === "string" && (definition.validation.enumValues ?? []).includes(value)
        ? { stored: value }
        : { reason: `must be one of: ${(definition.validation.enumValues ?? []).join(", ")}` }
  }
}

/** A stored text as its claim / API value: numbers and booleans as JSON types; a stored text that no longer parses stays a string. */
export const typedValueOf = (type: string | null | undefined, stored: string): CustomFieldValue => {
  if (type === "number") {
    const number = Number(stored)
    return stored.trim() !== "" && Number.isFinite(number) ? number : stored
  }
  if (type === "boolean") return stored === "true" || stored === "1"
  return stored
}
