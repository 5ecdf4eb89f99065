/**
 * The console's own rules, in a second `<style>` after the hosted pages' stylesheet
 * (pages/page_stylesheet.ts: colours, dark mode, focus ring, fields and buttons are
 * shared). Allowed by the CSP by its hash, like the first; test/console_pages.test.ts
 * checks {@link CONSOLE_STYLESHEET_HASH}. Wide layout, navigation bar, tables, the
 * day chart (bars are `<meter>`-free divs sized by a class per 5 %: no style attribute).
 */
const barWidths = Array.from({ length: 21 }, (_, i) => `.w${i * 5}{width:${i * 5}%}`).join("")

export const CONSOLE_STYLESHEET =
  `body.console{align-items:stretch}body.console main{max-width:72rem;margin:1rem auto;width:calc(100% - 2rem)}` +
  `.skip{position:absolute;left:-999px}.skip:focus{left:1rem;top:1rem;background:var(--card);padding:.5rem;z-index:2}` +
  `.bar{display:flex;flex-wrap:wrap;align-items:center;gap:.5rem 1rem;padding:.5rem 1rem;background:var(--card);border-bottom:1px solid var(--line)}` +
  `.bar strong{margin-right:auto}.bar ul{display:flex;flex-wrap:wrap;gap:.25rem;list-style:none;margin:0;padding:0}.bar li{margin:0}` +
  `.bar a{display:inline-block;padding:.35rem .6rem;border-radius:6px;text-decoration:none}.bar a[aria-current=page]{background:var(--accent);color:var(--on-accent)}` +
  `.bar form{margin:0}.bar button{margin:0;padding:.35rem .8rem}` +
  `table{width:100%;border-collapse:collapse;margin:.5rem 0;font-size:.95rem}th,td{text-align:left;padding:.45rem .5rem;border-bottom:1px solid var(--line);vertical-align:top}` +
  `th{color:var(--muted);font-weight:600}.scroll{overflow-x:auto}` +
  `textarea,select{display:block;width:100%;padding:.6rem .7rem;font:inherit;color:inherit;background:var(--card);border:1px solid var(--line);border-radius:6px}` +
  `textarea[aria-invalid=true],select[aria-invalid=true]{border-color:var(--err)}` +
  `.check{display:flex;gap:.5rem;align-items:center;margin:.5rem 0;font-weight:400}.check input{width:auto}` +
  `fieldset{border:1px solid var(--line);border-radius:6px;margin:1rem 0;padding:.5rem 1rem}legend{font-weight:600}` +
  `.field-error{color:var(--err);margin:.25rem 0 0;font-size:.9rem}.hint{color:var(--muted);font-size:.9rem;margin:.25rem 0 0}` +
  `.grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(16rem,1fr));gap:0 1.5rem}` +
  `.actions{display:flex;flex-wrap:wrap;gap:.5rem;align-items:flex-end}.actions form{margin:0}` +
  `.secret{display:block;padding:.75rem;border:2px dashed var(--note-line);border-radius:6px;font-size:1.05rem}` +
  `.ok{background:var(--note-bg);border-left:4px solid var(--accent);padding:.5rem .75rem}` +
  `.danger{border-color:var(--err);color:var(--err)}` +
  `.chart{list-style:none;padding:0}.chart li{display:grid;grid-template-columns:6.5rem 1fr 3rem;gap:.5rem;align-items:center;margin:.15rem 0}` +
  `.chart .track,.chart .fill{display:block;height:1rem;border-radius:4px}.chart .track{background:var(--bg)}.chart .fill{background:var(--accent)}` +
  `td{overflow-wrap:anywhere}td code{word-break:normal;white-space:nowrap}td:first-child{white-space:nowrap}` +
  barWidths +
  `@media(max-width:40rem){body.console main{width:100%;margin:0;border-radius:0}.bar strong{width:100%}}`

/** `sha256-…` of {@link CONSOLE_STYLESHEET} (its CSP `style-src` source). */
export const CONSOLE_STYLESHEET_HASH = "sha256-Xvaum6nahMdfYwj4npuLd4F5EBCjX8PW0Q2fgKqSyxg="
