/**
 * The OpenID Provider Metadata (OIDC Discovery 1.0 §3, RFC 8414 §2). Every
 * value states what the code really does; a member whose default would claim
 * more than the code does is stated explicitly.
 */
import { ACR_VALUES_SUPPORTED } from "../authorize/authentication_context.ts"
import { PROMPT_VALUES } from "../authorize/check_prompt.ts"
import { SUPPORTED_LOCALES } from "../i18n/locale.ts"
import { grants } from "../routes/token.ts"
import { defaultParSettings, type ParSettings } from "../par/par_settings.ts"
import { CLIENT_ASSERTION_ALGS } from "@authrim/contracts"
import { REQUEST_OBJECT_ALGS } from "@authrim/contracts"
import { dpopSigningAlgs } from "@authrim/contracts"

/** Scopes with a meaning here (OIDC Core §5.4, plus offline_access for refresh tokens). */
export const SCOPES_SUPPORTED = ["openid", "profile", "email", "address", "phone", "offline_access", "roles"]

/** Claims the ID token and userinfo can carry. */
export const CLAIMS_SUPPORTED = [
  "sub", "iss", "aud", "exp", "iat", "auth_time", "nonce", "acr", "amr", "sid", "at_hash",
  "name", "given_name", "family_name", "middle_name", "nickname", "preferred_username", "profile", "picture",
  "website", "gender", "birthdate", "zoneinfo", "locale", "updated_at",
  "email", "email_verified", "address", "phone_number", "phone_number_verified",
  // Scope `roles` (issue 12 §3): the names of the user's RBAC roles.
  "roles"
]

const clientAuthMethods = ["client_secret_basic", "client_secret_post", "none", "private_key_jwt"]
/** Algorithms accepted on private_key_jwt assertions (RFC 8414 §2), at every client-authenticated endpoint. */
const clientAuthSigningAlgs = [...CLIENT_ASSERTION_ALGS]

/** The metadata document of `issuer`; `par` says whether every client must use PAR (RFC 9126 §5). */
export const providerMetadata = (issuer: string, par: ParSettings = defaultParSettings) => ({
  issuer,
  authorization_endpoint: `${issuer}/authorize`,
  token_endpoint: `${issuer}/token`,
  userinfo_endpoint: `${issuer}/userinfo`,
  jwks_uri: `${issuer}/jwks`,
  revocation_endpoint: `${issuer}/revoke`,
  introspection_endpoint: `${issuer}/introspect`,
  // RFC 8628 §4; the grant URN is in grant_types_supported (from the token route's grants).
  device_authorization_endpoint: `${issuer}/device_authorization`,
  // RFC 9126 §5; per-client requirement is client metadata.
  pushed_authorization_request_endpoint: `${issuer}/par`,
  require_pushed_authorization_requests: par.requireForAllClients,
  // OIDC RP-Initiated Logout 1.0 §2.1 and Back-Channel Logout 1.0 §2.1 (logout tokens always carry sid).
  end_session_endpoint: `${issuer}/end_session`,
  // RFC 8414 §2 / RFC 7591: registration needs an initial access token unless open registration is on.
  registration_endpoint: `${issuer}/register`,
  backchannel_logout_supported: true,
  backchannel_logout_session_supported: true,
  // Front-Channel Logout 1.0 §3: iframes on the /end_session result page, each URL with iss and sid.
  frontchannel_logout_supported: true,
  frontchannel_logout_session_supported: true,
  scopes_supported: SCOPES_SUPPORTED,
  response_types_supported: ["code"],
  // JARM §3: the JWT forms of both modes (`jwt` = `query.jwt` for code), signed RS256 (JARM §2.2's default; no per-client alg).
  response_modes_supported: ["query", "form_post", "jwt", "query.jwt", "form_post.jwt"],
  authorization_signing_alg_values_supported: ["RS256"],
  grant_types_supported: Object.keys(grants),
  // OIDC Core §8: pairwise per client (subject_type, migration 0024; tokens/src/pairwise/pairwise_subject.ts).
  subject_types_supported: ["public", "pairwise"],
  id_token_signing_alg_values_supported: ["RS256", "ES256"],
  token_endpoint_auth_methods_supported: clientAuthMethods,
  revocation_endpoint_auth_methods_supported: clientAuthMethods,
  introspection_endpoint_auth_methods_supported: clientAuthMethods,
  token_endpoint_auth_signing_alg_values_supported: clientAuthSigningAlgs,
  revocation_endpoint_auth_signing_alg_values_supported: clientAuthSigningAlgs,
  introspection_endpoint_auth_signing_alg_values_supported: clientAuthSigningAlgs,
  // RFC 9701 §7: `Accept: application/token-introspection+jwt` gets a JWT signed RS256 (the RFC's default).
  introspection_signing_alg_values_supported: ["RS256"],
  code_challenge_methods_supported: ["S256"],
  // RFC 9449 §5.1: proofs accepted at /token and /userinfo (asymmetric algs only).
  dpop_signing_alg_values_supported: [...dpopSigningAlgs],
  claims_supported: CLAIMS_SUPPORTED,
  acr_values_supported: ACR_VALUES_SUPPORTED,
  claim_types_supported: ["normal"],
  prompt_values_supported: [...PROMPT_VALUES],
  display_values_supported: ["page"],
  // OIDC Discovery §3: languages of the hosted pages and emails (`ui_locales`, then Accept-Language).
  // claims_locales_supported is not listed: claims are returned as stored, never per language.
  ui_locales_supported: [...SUPPORTED_LOCALES],
  authorization_response_iss_parameter_supported: true,
  request_parameter_supported: true,
  request_object_signing_alg_values_supported: [...REQUEST_OBJECT_ALGS],
  // JAR §5.2 / OIDC Core §6.2: request objects by reference, only from the client's registered request_uris.
  request_uri_parameter_supported: true,
  require_request_uri_registration: true,
  // OIDC Core §5.5 (issue 14): userinfo and id_token members, essential acr (authorize/claims_request.ts).
  claims_parameter_supported: true
})
