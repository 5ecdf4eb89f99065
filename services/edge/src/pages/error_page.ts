/**
 * The browser-facing error page: used when the edge cannot (or must not)
 * redirect back to the RP — unknown client, unregistered redirect_uri, an
 * expired or forged login/consent transaction. Status and code come from
 * `toWireError`, the one mapping of typed failures to wire errors.
 */
import { toWireError, type EdgeFailure, type WireError } from "@authrim/contracts"
import { htmlResponse } from "../http/html_response.ts"
import { escapeHtml, layout } from "./html.ts"

/** Renders a wire error as a page. */
export const wireErrorPage = (wire: WireError): Response =>
  htmlResponse(
    layout(
      "Sign-in error",
      `<h1>Something went wrong</h1><p class="error">${escapeHtml(wire.description)}</p>` +
        `<p>Error code: <code>${escapeHtml(wire.code)}</code></p>` +
        `<p>Go back to the application you came from and start again.</p>`
    ),
    { status: wire.status }
  )

/** Renders any typed failure as a page. */
export const errorPage = (failure: EdgeFailure): Response => wireErrorPage(toWireError(failure))
