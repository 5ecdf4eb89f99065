/**
 * The one stylesheet of every hosted page, inlined in `<head>` (no external
 * asset, nothing to cache or fetch). The CSP allows exactly this text by its
 * SHA-256 (`PAGE_STYLESHEET_HASH`, checked by test/page_design.test.ts), so
 * no other inline style — and no `style=` attribute — can run.
 *
 * Colours meet WCAG AA (4.5:1 for text, 3:1 for focus rings and borders) in
 * both schemes; dark mode follows `prefers-color-scheme`.
 */
export const PAGE_STYLESHEET =
  `:root{color-scheme:light dark;--bg:#f3f4f6;--card:#fff;--fg:#1f2328;--muted:#57606a;--line:#8c959f;--accent:#0b57d0;--on-accent:#fff;` +
  `--err:#b42318;--err-bg:#fef3f2;--note-bg:#fff8c5;--note-line:#9a6700}` +
  `@media(prefers-color-scheme:dark){:root{--bg:#0d1117;--card:#161b22;--fg:#e6edf3;--muted:#9da7b3;--line:#6e7681;--accent:#7cacf8;` +
  `--on-accent:#0d1117;--err:#ff9b92;--err-bg:#3a1512;--note-bg:#3b2e00;--note-line:#d29922}}` +
  `*{box-sizing:border-box}body{margin:0;min-height:100vh;display:flex;flex-direction:column;align-items:center;background:var(--bg);` +
  `color:var(--fg);font:16px/1.5 system-ui,-apple-system,"Segoe UI","Hiragino Sans","Noto Sans JP",Meiryo,sans-serif}` +
  `main{width:100%;max-width:28rem;margin:2rem 1rem;padding:2rem 1.5rem;background:var(--card);border-radius:12px;` +
  `box-shadow:0 1px 3px rgba(0,0,0,.12),0 8px 24px rgba(0,0,0,.06)}@media(max-width:30rem){main{margin:0;border-radius:0;min-height:100vh}}` +
  `h1{font-size:1.5rem;line-height:1.3;margin:0 0 .5rem}h2{font-size:1.1rem;margin:1.5rem 0 .5rem}p{margin:.5rem 0}` +
  `a{color:var(--accent)}label{display:block;margin:1rem 0 .3rem;font-weight:600}` +
  `input:not([type=hidden]):not([type=checkbox]){display:block;width:100%;padding:.6rem .7rem;font:inherit;color:inherit;` +
  `background:var(--card);border:1px solid var(--line);border-radius:6px}input[aria-invalid=true]{border-color:var(--err)}` +
  `button{font:inherit;margin:1rem .5rem 0 0;padding:.6rem 1.2rem;border-radius:6px;border:1px solid var(--accent);cursor:pointer;` +
  `background:var(--card);color:var(--accent)}form:not(.quiet) button[type=submit]:first-of-type,.primary{background:var(--accent);color:var(--on-accent)}` +
  `:focus-visible{outline:3px solid var(--accent);outline-offset:2px}` +
  `.error{color:var(--err);background:var(--err-bg);border-radius:6px;padding:.5rem .75rem}` +
  `.notice{background:var(--note-bg);border-left:4px solid var(--note-line);padding:.5rem .75rem}` +
  `.muted,small{color:var(--muted)}.inline{display:inline;font-weight:400}ul{padding-left:1.2rem}li{margin:.4rem 0}` +
  `.sessions li form,li form{display:inline-block}.links{margin-top:1.5rem}pre{white-space:pre-wrap}code{word-break:break-all}` +
  `dt{font-weight:600;color:var(--muted);font-size:.9rem}dd{margin:0 0 .6rem}` +
  // Branding (pages/branded_page.ts): the product header, the footer under the card, a client's logo and links.
  `.brand{display:flex;align-items:center;gap:.6rem;margin:0 0 1rem;font-weight:600;color:var(--muted)}` +
  `.brand img{max-height:2.5rem;max-width:10rem}.client-logo{display:block;max-height:3rem;max-width:8rem;margin:0 0 .5rem}` +
  `.client-links{font-size:.9rem}.client-links a{margin-right:1rem}` +
  `footer{width:100%;max-width:28rem;margin:0 1rem 2rem;padding:0 1.5rem;font-size:.9rem;text-align:center}` +
  `footer nav a{color:var(--fg);margin:0 .5rem}footer p{color:var(--fg)}`

/** `'sha256-…'` of {@link PAGE_STYLESHEET}, the CSP `style-src` source that allows it. */
export const PAGE_STYLESHEET_HASH = "sha256-ihs/6ctHTidcFhKey6TjqsW+ZbZ6gE0K0T/R/cb+1SU="
