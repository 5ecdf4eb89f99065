/** Analytics Engine datasets per environment (scripts/deploy/deployment_names.ts, docs/operations.md). */
import { describe, expect, it } from "vitest"
import { datasetNameIn } from "../deploy/deployment_names.ts"

describe("datasetNameIn", () => {
  it("keeps the committed name in production and suffixes any other environment", () => {
    expect(datasetNameIn("production", "authrim_edge_requests")).toBe("authrim_edge_requests")
    expect(datasetNameIn("staging", "authrim_service_calls")).toBe("authrim_service_calls_staging")
    expect(datasetNameIn("eu-west", "authrim_service_calls")).toBe("authrim_service_calls_eu_west")
  })
})
