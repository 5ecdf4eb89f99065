/**
 * OIDC Core §8 subject type of a client (migration 0024, columns `subject_type`,
 * `sector_identifier_uri`), checked when the client is written (seed file, admin
 * API, dynamic registration). Default: public. A pairwise client needs a sector
 * (contracts/src/pairwise_sector.ts): its `sector_identifier_uri`, else the one
 * host all its redirect_uris share. The sector document itself is fetched and
 * checked by the edge before the write (edge pairwise/check_sector_identifier.ts).
 */
import { sectorOf, type SubjectType } from "@authrim/contracts"
import { webUriProblem } from "./redirect_uri_policy.ts"

/** Why the subject settings cannot be stored for a client with `redirectUris`, or null. */
export const subjectTypeProblem = (
  clientId: string, subjectType: SubjectType, sectorIdentifierUri: string | null, redirectUris: ReadonlyArray<string>
): string | null => {
  if (sectorIdentifierUri !== null) {
    const problem = webUriProblem("sector_identifier_uri", sectorIdentifierUri)
    if (problem !== null) return problem
  }
  if (subjectType === "pairwise" && sectorOf({ clientId, sectorIdentifierUri, redirectUris }) === null) {
    return "a pairwise client whose redirect_uris are not all on one host needs a sector_identifier_uri (OIDC Core §8.1)"
  }
  return null
}
