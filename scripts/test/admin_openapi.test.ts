/**
 * The admin API's OpenAPI document (issue 12 §1): generated from the router's
 * operation list and Schemas (services/edge/src/admin), it validates against
 * the OpenAPI 3.1 meta-schema with a standard validator, and every route of
 * the router is in it. (Plain Node: the validator compiles JSON Schemas with
 * code generation, which workerd forbids; the edge test checks the served copy.)
 */
import { Validator } from "@seriousme/openapi-schema-validator"
import { describe, expect, it } from "vitest"
import { openApiDocument } from "../../services/edge/src/admin/admin_openapi.ts"
import { adminOperations } from "../../services/edge/src/admin/admin_operations.ts"

describe("Admin API OpenAPI 3.1 document", () => {
  it("validates with @seriousme/openapi-schema-validator", async () => {
    const validator = new Validator()
    const result = await validator.validate(openApiDocument(adminOperations))
    expect(result.errors ?? []).toEqual([])
    expect(result.valid).toBe(true)
    expect(validator.version).toBe("3.1")
  })

  it("has every route of the router, with its permission, and only those", () => {
    const document = openApiDocument(adminOperations) as { paths: Record<string, Record<string, { "x-required-permission": string; operationId: string }>> }
    const documented = Object.entries(document.paths).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, op]) => `${method.toUpperCase()} ${path} ${op["x-required-permission"]} ${op.operationId}`))
    const routed = adminOperations.map((op) => `${op.method} /admin/api/v1${op.path} ${op.permission} ${op.operationId}`)
    expect(documented.sort()).toEqual(routed.sort())
    expect(new Set(adminOperations.map((op) => op.operationId)).size).toBe(adminOperations.length)
  })
})
