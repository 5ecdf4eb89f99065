/**
 * The inline scripts of the passkey pages (run under the page's CSP nonce).
 * They only bridge WebAuthn's ArrayBuffers and the JSON the server speaks:
 * read the options from the form's `data-options`, call
 * `navigator.credentials.get/create` on a button press (Safari requires a
 * user gesture), write the credential's JSON into the form's `credential`
 * field and submit it — an ordinary form post, so the server's redirect (to
 * the RP, or back to the account page) is followed by the browser.
 */

const codec =
  `const dec=s=>Uint8Array.from(atob(s.replace(/-/g,"+").replace(/_/g,"/")),c=>c.charCodeAt(0));` +
  `const enc=b=>btoa(String.fromCharCode(...new Uint8Array(b))).replace(/\\+/g,"-").replace(/\\//g,"_").replace(/=+$/,"");` +
  `const ids=l=>(l||[]).map(d=>({...d,id:dec(d.id)}));`

/** A text as a script string literal (JSON, with `<` escaped so it cannot close the script element). */
const scriptString = (text: string) => JSON.stringify(text).replace(/</g, "\\u003c")

const run = (ceremony: string) => (failurePrefix: string): string =>
  `(()=>{${codec}const f=document.getElementById("passkey-form");const s=document.getElementById("passkey-status");` +
  `document.getElementById("passkey-start").addEventListener("click",async()=>{try{` +
  `const o=JSON.parse(f.dataset.options);${ceremony}f.submit()}catch(e){s.textContent=${scriptString(failurePrefix)}+e.message}})})()`

/** Sign-in: `navigator.credentials.get`, then post the assertion; a failure is shown after `failurePrefix`. */
export const passkeySignInScript = run(
  `const c=await navigator.credentials.get({publicKey:{...o,challenge:dec(o.challenge),allowCredentials:ids(o.allowCredentials)}});` +
    `const r=c.response;f.elements.credential.value=JSON.stringify({id:c.id,rawId:enc(c.rawId),type:c.type,` +
    `response:{clientDataJSON:enc(r.clientDataJSON),authenticatorData:enc(r.authenticatorData),signature:enc(r.signature),` +
    `userHandle:r.userHandle?enc(r.userHandle):null},authenticatorAttachment:c.authenticatorAttachment});`
)

/** Registration: `navigator.credentials.create`, then post the attestation; a failure is shown after `failurePrefix`. */
export const passkeyRegistrationScript = run(
  `const c=await navigator.credentials.create({publicKey:{...o,challenge:dec(o.challenge),user:{...o.user,id:dec(o.user.id)},` +
    `excludeCredentials:ids(o.excludeCredentials)}});const r=c.response;` +
    `f.elements.credential.value=JSON.stringify({id:c.id,rawId:enc(c.rawId),type:c.type,` +
    `response:{clientDataJSON:enc(r.clientDataJSON),attestationObject:enc(r.attestationObject),` +
    `transports:r.getTransports?r.getTransports():[]},authenticatorAttachment:c.authenticatorAttachment});`
)

/** A fresh CSP nonce for one page. */
export const newScriptNonce = (): string => crypto.randomUUID().replace(/-/g, "")
