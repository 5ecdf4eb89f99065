/** The label a user gives a passkey ("Work laptop"): trimmed, control characters dropped, 1–64 characters. */

/** Longest label kept. */
export const PASSKEY_NAME_MAX = 64

/** The cleaned label, or null when nothing printable is left. */
export const passkeyDisplayName = (raw: string): string | null => {
  const cleaned = raw.replace(/[\u0000-\u001f\u007f]/g, "").trim().slice(0, PASSKEY_NAME_MAX).trim()
  return cleaned === "" ? null : cleaned
}
