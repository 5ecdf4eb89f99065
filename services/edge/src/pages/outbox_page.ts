/**
 * `/dev/outbox`: the development outbox as a page (newest first), so a
 * developer running `npm start` can click the sign-in and reset links the
 * provider "sent". Only reachable while the identity service's email
 * transport is the outbox.
 */
import type { OutboxMessage } from "@authrim/contracts"
import { htmlResponse } from "../http/html_response.ts"
import { escapeHtml, layout } from "./html.ts"

const linkify = (text: string) =>
  escapeHtml(text).replace(/https?:&#x2F;&#x2F;[^\s<]+/g, (url) => `<a href="${url}">${url}</a>`)

/** The page for `to` (null: every address). */
export const outboxPage = (to: string | null, messages: ReadonlyArray<OutboxMessage>): Response =>
  htmlResponse(
    layout("en", 
      "Dev outbox",
      `<h1>Development outbox</h1><p>Emails stored because <code>EMAIL_TRANSPORT=outbox</code>. Never enabled in production.</p>` +
        `<form method="get" action="/dev/outbox"><label for="to">Address</label>` +
        `<input id="to" type="email" name="to" value="${escapeHtml(to ?? "")}"><button type="submit">Filter</button></form>` +
        (messages.length === 0
          ? `<p>No messages.</p>`
          : `<ul>` +
            messages.map((m) =>
              `<li><p><strong>${escapeHtml(m.subject)}</strong> to ${escapeHtml(m.to)} at ${new Date(m.createdAt).toISOString()}</p>` +
              `<pre>${linkify(m.text)}</pre></li>`
            ).join("") +
            `</ul>`)
    )
  )
