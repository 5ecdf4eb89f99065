/**
 * Documents an RP hosts and the edge fetches (a request object by reference,
 * a sector identifier document): the limits of one fetch, and which URLs may be
 * fetched at all — https, or plain http on a loopback host only with
 * `AUTHRIM_ENV=development` (a local RP in `npm start`); never with userinfo.
 */
import { isDevelopment } from "@authrim/contracts"
import type { ServiceEnv } from "../env.ts"

/** How one kind of RP document is fetched. */
export interface RpDocumentSettings {
  /** http on 127.0.0.1 / localhost / [::1] allowed (development only). */
  readonly allowLoopbackHttp: boolean
  readonly maxBytes: number
  readonly timeoutMs: number
}

/** The settings of one kind of document: its fixed limits, loopback http only in development. */
export const rpDocumentSettings = (env: Pick<ServiceEnv, "AUTHRIM_ENV">, maxBytes: number, timeoutMs: number): RpDocumentSettings => ({
  allowLoopbackHttp: isDevelopment(env),
  maxBytes,
  timeoutMs
})

const loopbackHosts = new Set(["127.0.0.1", "localhost", "[::1]"])

/** `uri` parsed when it may be fetched; else why not: not an absolute URL, or not https (nor development loopback http) or with userinfo. */
export const rpDocumentUrl = (uri: string, settings: RpDocumentSettings): URL | "not_absolute" | "insecure" => {
  let url: URL
  try {
    url = new URL(uri)
  } catch {
    return "not_absolute"
  }
  const secure = url.protocol === "https:" || (settings.allowLoopbackHttp && url.protocol === "http:" && loopbackHosts.has(url.hostname))
  return secure && url.username === "" && url.password === "" ? url : "insecure"
}
