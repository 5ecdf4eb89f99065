/**
 * A validated authorization request, as kept in the identity ChallengeStore
 * while the user signs in or consents. A Schema (not a bare interface) because
 * it comes back out of challenge `metadata` as unknown JSON and is decoded.
 */
import { Schema } from "effect"
import { SUPPORTED_LOCALES } from "../i18n/locale.ts"
import { ClaimsParameter } from "./claims_request.ts"

/**
 * How the authorization response reaches the RP (OAuth 2.0 Multiple Response
 * Types, Form Post Response Mode, and their JARM forms: the response as one
 * signed JWT, `query.jwt` / `form_post.jwt`). Older stored requests still decode.
 */
export const ResponseMode = Schema.Literals(["query", "form_post", "query.jwt", "form_post.jwt"])
/** Type of {@link ResponseMode}. */
export type ResponseMode = typeof ResponseMode.Type

/** Whether `mode` delivers the response as a signed JWT (JARM). */
export const isJwtResponseMode = (mode: ResponseMode): boolean => mode === "query.jwt" || mode === "form_post.jwt"

/** Where and how the result of an authorization request goes back to the RP. */
export const RedirectTarget = Schema.Struct({
  clientId: Schema.String,
  redirectUri: Schema.String,
  responseMode: ResponseMode,
  state: Schema.NullOr(Schema.String)
})
/** Type of {@link RedirectTarget}. */
export type RedirectTarget = typeof RedirectTarget.Type

/** The whole validated request. */
export const PendingAuthorization = Schema.Struct({
  target: RedirectTarget,
  /** Requested scopes, de-duplicated, in request order; always includes `openid`. */
  scopes: Schema.Array(Schema.String),
  nonce: Schema.NullOr(Schema.String),
  /** RFC 7636 S256 challenge, or null (confidential clients only). */
  codeChallenge: Schema.NullOr(Schema.String),
  /** OIDC Core §3.1.2.1 prompt values. */
  prompt: Schema.Array(Schema.String),
  /** Seconds; null when absent. */
  maxAge: Schema.NullOr(Schema.Number),
  loginHint: Schema.NullOr(Schema.String),
  /** OIDC Core §3.1.2.1 `acr_values`, in order of preference; optional so transactions stored before it still decode. */
  acrValues: Schema.optional(Schema.Array(Schema.String)),
  /** The user id a verified `id_token_hint` names (its `sub`, or the user behind a pairwise `sub`; check_id_token_hint.ts); optional so older transactions still decode. */
  idTokenHintSubject: Schema.optional(Schema.NullOr(Schema.String)),
  /** The first supported language of OIDC Core `ui_locales`, for every page of the flow; optional so older transactions still decode. */
  uiLocale: Schema.optional(Schema.Literals(SUPPORTED_LOCALES)),
  /** The parsed OIDC Core §5.5 `claims` parameter (issue 14); optional so older transactions still decode. */
  claims: Schema.optional(ClaimsParameter),
  /** RFC 8707 resources requested and registered by the client (issue 14); sealed into the code. Absent: none. */
  resources: Schema.optional(Schema.Array(Schema.String)),
  /** OIDC Core §8.1: the client's pairwise sector, for matching a requested `sub` value (requested_user.ts). Absent: public subjects. */
  pairwiseSector: Schema.optional(Schema.String)
})
/** Type of {@link PendingAuthorization}. */
export type PendingAuthorization = typeof PendingAuthorization.Type

/** Decodes a pending request from challenge metadata. */
export const decodePendingAuthorization = Schema.decodeUnknownEffect(PendingAuthorization)
