/**
 * What each caller of authrim-tokens may call (issue 13 §2), one list per
 * named entrypoint of the tokens worker.
 *
 * - `TokensForEdge` (edge binding `TOKENS`): the token, PAR, device, DPoP and
 *   logout endpoints' work, revoking what a session, a user's sessions or
 *   a deleted client held, signing JARM / RFC 9701 responses, and RFC 8693 token exchange.
 * - `TokensAdmin` (edge binding `TOKENS_ADMIN`, used only by the admin API):
 *   revoking the refresh token families a user's consent to one client covered.
 */
import { DeviceContract } from "./device.ts"
import { DpopContract } from "./dpop.ts"
import { HealthContract } from "./health.ts"
import { TokensLogoutContract } from "./logout.ts"
import { ParContract } from "./par.ts"
import { pickMethods } from "./pick_methods.ts"
import { RefreshFamiliesContract } from "./refresh_families.ts"
import { SignedResponsesContract } from "./signed_responses.ts"
import type { InterfaceOf } from "./serve_all.ts"
import { TokensContract } from "./tokens.ts"
import { TokenExchangeContract } from "./token_exchange_rpc.ts"

/** Revoking the refresh token families of a session that ended, or of every session of a user (password reset, "sign out everywhere"). */
export const RefreshFamiliesForEdgeContract = pickMethods(RefreshFamiliesContract, ["revokeFamiliesForSession", "revokeAllForUser"])

/** Entrypoint `TokensForEdge`. */
export const TokensForEdgeContracts = [TokensContract, TokensLogoutContract, ParContract, DeviceContract, DpopContract, RefreshFamiliesForEdgeContract, SignedResponsesContract, TokenExchangeContract, HealthContract] as const
/** RPC interface of `TokensForEdge`. */
export type TokensForEdgeRpc = InterfaceOf<typeof TokensForEdgeContracts>

/** Revoking what a user granted one client (the admin API's consent revocation). */
export const RefreshFamiliesAdminContract = pickMethods(RefreshFamiliesContract, ["revokeFamiliesForClient"])

/** Entrypoint `TokensAdmin`. */
export const TokensAdminContracts = [RefreshFamiliesAdminContract] as const
/** RPC interface of `TokensAdmin`. */
export type TokensAdminRpc = InterfaceOf<typeof TokensAdminContracts>
