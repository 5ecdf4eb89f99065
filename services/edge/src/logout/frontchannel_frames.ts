/**
 * Front-Channel Logout 1.0 §2–§4: the URLs the end-session page loads in
 * invisible iframes, one per RP the ended session signed into that registered
 * a `frontchannel_logout_uri`. Each carries `iss` and `sid` (§2: what an RP
 * with `frontchannel_logout_session_required` needs; Authrim's ID tokens
 * always carry `sid`, so every RP can match them), added to any query the
 * registered URI already has.
 */
import type { Client } from "@authrim/contracts"

/** The iframe URLs for session `sid` ended at `issuer`. */
export const frontchannelFrames = (issuer: string, sid: string, clients: ReadonlyArray<Client>): ReadonlyArray<string> =>
  clients.flatMap((client) => {
    const registered = client.frontchannelLogoutUri
    if (registered === undefined || registered === null) return []
    let url: URL
    try {
      url = new URL(registered)
    } catch {
      return [] // registration checks the URI; a row that no longer parses is skipped, not fatal to the logout
    }
    url.searchParams.set("iss", issuer)
    url.searchParams.set("sid", sid)
    return [url.toString()]
  })
