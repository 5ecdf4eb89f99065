/** Browser redirects. 303 so a redirect after a form post is followed with GET. */

/** A `303 See Other` to `location`, never cached, leaking no referrer. */
export const seeOther = (location: string): Response =>
  new Response(null, {
    status: 303,
    headers: { location, "cache-control": "no-store", "referrer-policy": "no-referrer" }
  })
