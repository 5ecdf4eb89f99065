/** HTML building blocks of the edge's pages: escaping and the shared layout. */

const entities: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;", "'": "&#39;", "/": "&#x2F;" }

/** Escapes text for an element body or a double-quoted attribute. */
export const escapeHtml = (text: string): string => text.replace(/[&<>"'/]/g, (c) => entities[c] ?? c)

/** A hidden form field. */
export const hiddenInput = (name: string, value: string): string =>
  `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`

const style = `body{font-family:system-ui,sans-serif;max-width:26rem;margin:3rem auto;padding:0 1rem;color:#1f2328}
h1{font-size:1.4rem}label{display:block;margin:.8rem 0 .2rem}input[type=email],input[type=password]{width:100%;padding:.5rem;box-sizing:border-box}
button{margin:.8rem .4rem 0 0;padding:.5rem 1rem}.error{color:#b42318}.notice{background:#fff8c5;border-left:4px solid #9a6700;padding:.5rem .75rem}ul{padding-left:1.2rem}`

/** The page layout; `body` must already be escaped. */
export const layout = (title: string, body: string, head = ""): string =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">` +
  `<meta name="robots" content="noindex"><title>${escapeHtml(title)}</title><style>${style}</style>${head}</head>` +
  `<body>${body}</body></html>`
