/** The edge's structured log lines (contracts/src/log.ts): `service: "edge"`, the request's id. */
import { logger } from "@authrim/contracts"

export const edgeLog = logger("edge")
