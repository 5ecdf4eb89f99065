/**
 * One queued back-channel logout (Back-Channel Logout 1.0 §2.5): who to tell,
 * about which session. The logout token itself is signed by the consumer at
 * each delivery attempt, so its 2-minute `exp` holds however long retries take.
 */
import { BackchannelDelivery } from "@authrim/contracts"
import { Schema } from "effect"

/** The queue message body. */
export const BackchannelMessage = Schema.Struct({
  ...BackchannelDelivery.fields,
  issuer: Schema.String,
  sub: Schema.String,
  sid: Schema.String
})
/** Type of {@link BackchannelMessage}. */
export type BackchannelMessage = typeof BackchannelMessage.Type
