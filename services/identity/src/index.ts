/**
 * authrim-identity: the `IdentityService` entrypoint (see contracts/src/identity.ts)
 * and the `ChallengeStore` Durable Object. Each method decodes, runs its
 * program with this isolate's bindings, and encodes the outcome via `serve`.
 */
import { IdentityContract, PasskeysContract, serve, type IdentityRpc, type PasskeysRpc, MfaContract, type MfaRpc } from "@authrim/contracts"
import { WorkerEntrypoint } from "cloudflare:workers"
import { Effect } from "effect"
import { consumeChallenge, createChallenge, peekChallenge } from "./challenges/challenges.ts"
import { ClientMemoryCache } from "./clients/client_memory_cache.ts"
import { authenticateClient, getClient, upsertClient } from "./clients/clients.ts"
import { getConsent, grantConsent } from "./users/consents.ts"
import { finishTransaction } from "./finished_transactions.ts"
import type { ServiceEnv } from "./env.ts"
import { IdentityBindings } from "./identity_bindings.ts"
import { finishPasskeyAuthentication, startPasskeyAuthentication } from "./passkeys/passkey_authentication.ts"
import { listPasskeys, removePasskey, renamePasskey } from "./passkeys/passkey_management.ts"
import { finishPasskeyRegistration, startPasskeyRegistration } from "./passkeys/passkey_registration.ts"
import { withRelyingParty } from "./passkeys/passkey_relying_party.ts"
import { ScopeMappingCache } from "./users/scope_mapping_cache.ts"
import { verifySecondFactor } from "./mfa/second_factor.ts"
import { beginTotpEnrolment, confirmTotpEnrolment, disableTotp, getMfaStatus, regenerateRecoveryCodes } from "./mfa/totp_enrolment.ts"
import { withMfaEncryptionKey } from "./mfa/totp_secret_cipher.ts"
import { getUserClaims } from "./users/user_claims.ts"
import { authenticatePassword, getUser, upsertUser } from "./users/users.ts"
import { EmailLoginContract, type EmailLoginRpc } from "@authrim/contracts"
import { readOutbox } from "./email/email_outbox.ts"
import { checkEmailDelivery, withEmailSender } from "./email/email_transport.ts"
import { redeemMagicLink, requestMagicLink } from "./email/magic_link.ts"
import { changePassword } from "./passwords/password_change.ts"
import { requestPasswordReset, resetPassword } from "./passwords/password_reset.ts"
import { UpstreamContract, type UpstreamRpc } from "@authrim/contracts"
import { beginUpstreamSignIn } from "./upstream/begin_upstream_sign_in.ts"
import { finishUpstreamSignIn } from "./upstream/finish_upstream_sign_in.ts"
import { listUpstreamProviders, upsertIdentityProvider } from "./upstream/identity_providers.ts"
import { runUpstream } from "./upstream/run_upstream.ts"
import { ClientAuthContract, type ClientAuthRpc } from "@authrim/contracts"
import { authenticateClientAssertion } from "./clients/client_assertion.ts"
import { verifyRequestObject } from "./clients/request_object.ts"
import { meteredEnv } from "@authrim/cost-meter"
import { identityBindingMeters } from "./env.ts"
import { AccountSecurityContract, type AccountSecurityRpc } from "@authrim/contracts"
import { confirmEmailChange, requestEmailChange } from "./email/email_change.ts"
import { notifySecurityChange } from "./email/security_notification.ts"
import { getSignInMethods } from "./users/sign_in_methods.ts"

export { ChallengeStore } from "./challenges/challenge_store.ts"
export { AssertionJtiStore } from "./clients/assertion_jti_store.ts"

/** Per-isolate caches: they outlive a single request on purpose (that is what makes them save KV/D1 reads). */
const clientMemory = new ClientMemoryCache()
const scopeMappings = new ScopeMappingCache()

export class IdentityService extends WorkerEntrypoint<ServiceEnv> implements IdentityRpc, PasskeysRpc, MfaRpc, EmailLoginRpc, UpstreamRpc, ClientAuthRpc, AccountSecurityRpc {
  constructor(ctx: ExecutionContext, env: ServiceEnv) {
    // With the cost meter on, it counts this worker's binding calls; off, `env` is passed as it is (packages/cost-meter).
    super(ctx, meteredEnv(env, identityBindingMeters))
  }

  private run<A, E>(program: Effect.Effect<A, E, IdentityBindings>): Effect.Effect<A, E> {
    return Effect.provideService(program, IdentityBindings, {
      db: this.env.DB,
      clientsKv: this.env.CLIENTS,
      challenges: this.env.CHALLENGES,
      clientMemory,
      scopeMappings
    })
  }

  getClient(input: unknown) {
    return serve(IdentityContract.getClient, input, (i) => this.run(getClient(i.clientId)))
  }
  authenticateClient(input: unknown) {
    return serve(IdentityContract.authenticateClient, input, (i) => this.run(authenticateClient(i)))
  }
  authenticateClientAssertion(input: unknown) {
    return serve(ClientAuthContract.authenticateClientAssertion, input, (i) => this.run(authenticateClientAssertion(this.env.ASSERTION_JTIS)(i)))
  }
  verifyRequestObject(input: unknown) {
    return serve(ClientAuthContract.verifyRequestObject, input, (i) => this.run(verifyRequestObject(i)))
  }
  upsertClient(input: unknown) {
    return serve(IdentityContract.upsertClient, input, (i) => this.run(upsertClient(i)))
  }
  upsertUser(input: unknown) {
    return serve(IdentityContract.upsertUser, input, (i) => this.run(upsertUser(i)))
  }
  authenticatePassword(input: unknown) {
    return serve(IdentityContract.authenticatePassword, input, (i) => this.run(authenticatePassword(i)))
  }
  getUser(input: unknown) {
    return serve(IdentityContract.getUser, input, (i) => this.run(getUser(i.userId)))
  }
  getUserClaims(input: unknown) {
    return serve(IdentityContract.getUserClaims, input, (i) => this.run(getUserClaims(i)))
  }
  getConsent(input: unknown) {
    return serve(IdentityContract.getConsent, input, (i) => this.run(getConsent(i)))
  }
  grantConsent(input: unknown) {
    return serve(IdentityContract.grantConsent, input, (i) => this.run(grantConsent(i)))
  }
  createChallenge(input: unknown) {
    return serve(IdentityContract.createChallenge, input, (i) => this.run(createChallenge(i)))
  }
  peekChallenge(input: unknown) {
    return serve(IdentityContract.peekChallenge, input, (i) => this.run(peekChallenge(i)))
  }
  consumeChallenge(input: unknown) {
    return serve(IdentityContract.consumeChallenge, input, (i) => this.run(consumeChallenge(i)))
  }
  finishTransaction(input: unknown) {
    return serve(IdentityContract.finishTransaction, input, (i) => this.run(finishTransaction(i)))
  }
  // Passkeys (contracts/src/passkeys.ts): the relying party comes from this worker's WEBAUTHN_* vars.
  startPasskeyRegistration(input: unknown) {
    return serve(PasskeysContract.startPasskeyRegistration, input, (i) => this.run(withRelyingParty(this.env)(startPasskeyRegistration(i))))
  }
  finishPasskeyRegistration(input: unknown) {
    return serve(PasskeysContract.finishPasskeyRegistration, input, (i) => this.run(withRelyingParty(this.env)(finishPasskeyRegistration(i))))
  }
  startPasskeyAuthentication(input: unknown) {
    return serve(PasskeysContract.startPasskeyAuthentication, input, (i) => this.run(withRelyingParty(this.env)(startPasskeyAuthentication(i))))
  }
  finishPasskeyAuthentication(input: unknown) {
    return serve(PasskeysContract.finishPasskeyAuthentication, input, (i) => this.run(withRelyingParty(this.env)(finishPasskeyAuthentication(i))))
  }
  listPasskeys(input: unknown) {
    return serve(PasskeysContract.listPasskeys, input, (i) => this.run(listPasskeys(i)))
  }
  renamePasskey(input: unknown) {
    return serve(PasskeysContract.renamePasskey, input, (i) => this.run(renamePasskey(i)))
  }
  removePasskey(input: unknown) {
    return serve(PasskeysContract.removePasskey, input, (i) => this.run(removePasskey(i)))
  }
  getMfaStatus(input: unknown) {
    return serve(MfaContract.getMfaStatus, input, (i) => this.run(getMfaStatus(i)))
  }
  beginTotpEnrolment(input: unknown) {
    return serve(MfaContract.beginTotpEnrolment, input, (i) => this.run(withMfaEncryptionKey(this.env)(beginTotpEnrolment(i))))
  }
  confirmTotpEnrolment(input: unknown) {
    return serve(MfaContract.confirmTotpEnrolment, input, (i) => this.run(withMfaEncryptionKey(this.env)(confirmTotpEnrolment(i))))
  }
  verifySecondFactor(input: unknown) {
    return serve(MfaContract.verifySecondFactor, input, (i) => this.run(withMfaEncryptionKey(this.env)(verifySecondFactor(i))))
  }
  disableTotp(input: unknown) {
    return serve(MfaContract.disableTotp, input, (i) => this.run(withMfaEncryptionKey(this.env)(disableTotp(i))))
  }
  regenerateRecoveryCodes(input: unknown) {
    return serve(MfaContract.regenerateRecoveryCodes, input, (i) => this.run(regenerateRecoveryCodes(i)))
  }
  // Account security (contracts/src/account_security.ts): step-up methods, change notices, email change.
  getSignInMethods(input: unknown) {
    return serve(AccountSecurityContract.getSignInMethods, input, (i) => this.run(getSignInMethods(i)))
  }
  notifySecurityChange(input: unknown) {
    return serve(AccountSecurityContract.notifySecurityChange, input, (i) => this.run(withEmailSender(this.env)(notifySecurityChange(i))))
  }
  requestEmailChange(input: unknown) {
    return serve(AccountSecurityContract.requestEmailChange, input, (i) => this.run(withEmailSender(this.env)(requestEmailChange(i))))
  }
  confirmEmailChange(input: unknown) {
    return serve(AccountSecurityContract.confirmEmailChange, input, (i) => this.run(withEmailSender(this.env)(confirmEmailChange(i))))
  }
  // Email sign-in and password recovery (contracts/src/email_login.ts): email goes out through EMAIL_TRANSPORT.
  requestMagicLink(input: unknown) {
    return serve(EmailLoginContract.requestMagicLink, input, (i) => this.run(withEmailSender(this.env)(requestMagicLink(i))))
  }
  redeemMagicLink(input: unknown) {
    return serve(EmailLoginContract.redeemMagicLink, input, (i) => this.run(redeemMagicLink(i)))
  }
  checkEmailDelivery(input: unknown) {
    return serve(EmailLoginContract.checkEmailDelivery, input, () => this.run(Effect.as(checkEmailDelivery(this.env), {})))
  }
  requestPasswordReset(input: unknown) {
    return serve(EmailLoginContract.requestPasswordReset, input, (i) => this.run(withEmailSender(this.env)(requestPasswordReset(i))))
  }
  resetPassword(input: unknown) {
    return serve(EmailLoginContract.resetPassword, input, (i) => this.run(resetPassword(i)))
  }
  changePassword(input: unknown) {
    return serve(EmailLoginContract.changePassword, input, (i) => this.run(changePassword(i)))
  }
  readOutbox(input: unknown) {
    return serve(EmailLoginContract.readOutbox, input, (i) => this.run(withEmailSender(this.env)(readOutbox(i))))
  }
  listUpstreamProviders(input: unknown) {
    return serve(UpstreamContract.listUpstreamProviders, input, () => runUpstream(this.env, listUpstreamProviders))
  }
  upsertIdentityProvider(input: unknown) {
    return serve(UpstreamContract.upsertIdentityProvider, input, (i) => runUpstream(this.env, upsertIdentityProvider(i)))
  }
  beginUpstreamSignIn(input: unknown) {
    return serve(UpstreamContract.beginUpstreamSignIn, input, (i) => runUpstream(this.env, beginUpstreamSignIn(i)))
  }
  finishUpstreamSignIn(input: unknown) {
    return serve(UpstreamContract.finishUpstreamSignIn, input, (i) => runUpstream(this.env, finishUpstreamSignIn(i)))
  }
}

import { handleDailyCron, handleAuditQueue } from "./queue_and_cron.ts"

export default {
  fetch: () => new Response("identity: internal service", { status: 404 }),
  /** The audit trail's consumer (src/audit/) and the daily purge + archive (src/queue_and_cron.ts). */
  queue: (batch, env) => handleAuditQueue(batch, env),
  scheduled: (controller, env, ctx) => ctx.waitUntil(handleDailyCron(controller, env))
} satisfies ExportedHandler<ServiceEnv>
