/**
 * RFC 8693 token exchange policy of a client (migration 0026, column
 * `token_exchange_policy`): validated when the client is written (seed file,
 * admin API). Default: none, the client may not exchange tokens. The edge
 * enforces it at /token (token_endpoint/grants/token_exchange_request.ts).
 */
import type { ClientAuthMethod, TokenExchangePolicy } from "@authrim/contracts"

/** Most audiences one policy may list (an exact list, compared as strings). */
export const MAX_EXCHANGE_AUDIENCES = 50

/** Why `policy` cannot be stored for a client authenticating with `method`, or null. */
export const tokenExchangePolicyProblem = (policy: TokenExchangePolicy, method: ClientAuthMethod): string | null => {
  // RFC 8693 §2.1 relies on client authentication to decide what a client may exchange: public clients cannot hold it.
  if (method === "none") return "token_exchange_policy is for confidential clients only"
  if (policy.audiences.length === 0) return "token_exchange_policy.audiences must list at least one audience"
  if (policy.audiences.length > MAX_EXCHANGE_AUDIENCES) return `token_exchange_policy.audiences lists more than ${MAX_EXCHANGE_AUDIENCES}`
  if (new Set(policy.audiences).size !== policy.audiences.length) return "token_exchange_policy.audiences has duplicates"
  const bad = policy.audiences.find((a) => !/^[\x21-\x7E]{1,2000}$/.test(a))
  return bad === undefined ? null : "token_exchange_policy.audiences must be non-empty strings of visible ASCII (no spaces)"
}
