/**
 * The one script of the console: on a page showing a secret once, reveal the "Copy" buttons
 * (hidden without script) and copy the named element's text. Run under the response's nonce.
 */
export const COPY_SCRIPT =
  `for(const b of document.querySelectorAll("button[data-copy]")){b.hidden=false;b.addEventListener("click",()=>{` +
  `navigator.clipboard.writeText(document.getElementById(b.dataset.copy).textContent).then(()=>{b.textContent=b.dataset.done})})}`
