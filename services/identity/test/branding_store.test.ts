/**
 * Issue 12 §5: the branding document owned by identity — D1 `branding_settings`
 * (row 'default'), versioned writes (If-Match) where exactly one of racing
 * writers wins, every field checked (bad colours, low contrast, javascript:
 * URLs → InvalidBranding naming the field, nothing written), `admin.action`
 * audit, and this isolate's copy.
 */
import { BrandingVersionConflict, InvalidBranding, SETTINGS_MEMORY_TTL_MS, type BrandingPatch } from "@authrim/contracts"
import { env } from "cloudflare:test"
import { Effect } from "effect"
import { beforeEach, describe, expect, it } from "vitest"
import { BrandingCopy, getBranding, IdentityBrandingCopy, updateBranding } from "../src/branding/branding_store.ts"
import { makeHarness } from "./identity_harness.ts"

beforeEach(async () => {
  await env.DB.prepare(
    `UPDATE branding_settings SET product_name = NULL, logo_url = NULL, primary_color = NULL, primary_color_dark = NULL, background_color = NULL,
     support_url = NULL, support_email = NULL, privacy_policy_url = NULL, terms_url = NULL, footer_text = NULL, version = 0, updated_at = 0, updated_by = NULL
     WHERE id = 'default'`
  ).run()
})

/** A harness whose programs see `copy` as this isolate's branding copy. */
const isolate = () => {
  const h = makeHarness()
  const copy = new BrandingCopy(h.clock.now)
  return {
    h,
    get: () => h.run(Effect.provideService(getBranding(), IdentityBrandingCopy, copy)),
    update: (patch: BrandingPatch, expectedVersion?: number, adminUserId: string | null = "admin-1") =>
      h.run(Effect.provideService(updateBranding({ patch, expectedVersion, adminUserId }), IdentityBrandingCopy, copy)),
    refuse: (patch: BrandingPatch, expectedVersion?: number) =>
      h.fail(Effect.provideService(updateBranding({ patch, expectedVersion, adminUserId: "admin-1" }), IdentityBrandingCopy, copy))
  }
}

describe("Branding document — stored in D1, versioned, checked, audited", () => {
  it("starts at version 0 with the product name Authrim; a write adds 1 and is stored in the 'default' row", async () => {
    const i = isolate()
    expect(await i.get()).toMatchObject({ version: 0, branding: { productName: "Authrim", logoUrl: null, primaryColor: null } })
    const written = await i.update({ productName: "  Acme ID ", primaryColor: "#0B57D0", termsUrl: "https://acme.example/terms" }, 0)
    expect(written).toMatchObject({ version: 1, updatedBy: "admin-1", branding: { productName: "Acme ID", primaryColor: "#0b57d0" } })
    const row = await env.DB.prepare("SELECT product_name, primary_color, terms_url, version FROM branding_settings WHERE id = 'default'").first()
    expect(row).toEqual({ product_name: "Acme ID", primary_color: "#0b57d0", terms_url: "https://acme.example/terms", version: 1 })
  })

  it("null clears a field; absent fields stay", async () => {
    const i = isolate()
    await i.update({ supportUrl: "https://help.acme.example", footerText: "© Acme" })
    const cleared = await i.update({ supportUrl: null })
    expect(cleared.branding).toMatchObject({ supportUrl: null, footerText: "© Acme" })
  })

  it("If-Match: a stale version is BrandingVersionConflict (with the current version) and writes nothing", async () => {
    const i = isolate()
    await i.update({ productName: "First" }, 0)
    const conflict = await i.refuse({ productName: "Second" }, 0)
    expect(conflict).toBeInstanceOf(BrandingVersionConflict)
    expect((conflict as BrandingVersionConflict).currentVersion).toBe(1)
    expect((await isolate().get()).branding.productName).toBe("First")
  })

  it("20 concurrent writers naming the same version: exactly one wins, the others conflict", async () => {
    const writers = Array.from({ length: 20 }, (_, n) => isolate().update({ productName: `Writer ${n}` }, 0).then((d) => d.branding.productName, (e: unknown) => e))
    const outcomes = await Promise.all(writers)
    const winners = outcomes.filter((o) => typeof o === "string")
    expect(winners).toHaveLength(1)
    expect(outcomes.filter((o) => o instanceof BrandingVersionConflict)).toHaveLength(19)
    const stored = await isolate().get()
    expect(stored).toMatchObject({ version: 1, branding: { productName: winners[0] } })
  })

  it.each([
    [{ productName: "" }, "productName"],
    [{ productName: "x".repeat(61) }, "productName"],
    [{ productName: "Acme\nInc" }, "productName"],
    [{ primaryColor: "red" }, "primaryColor"],
    [{ primaryColor: "#12345" }, "primaryColor"],
    [{ primaryColor: "#ffeb3b" }, "primaryColor"],
    [{ primaryColorDark: "#0b57d0" }, "primaryColorDark"],
    [{ backgroundColor: "#333333" }, "backgroundColor"],
    [{ logoUrl: "javascript:alert(1)" }, "logoUrl"],
    [{ logoUrl: "http://acme.example/logo.png" }, "logoUrl"],
    [{ logoUrl: "/avatars/../secret" }, "logoUrl"],
    [{ supportUrl: "javascript:alert(document.cookie)" }, "supportUrl"],
    [{ privacyPolicyUrl: "data:text/html,<script>alert(1)</script>" }, "privacyPolicyUrl"],
    [{ termsUrl: "https://user:pass@acme.example/terms" }, "termsUrl"],
    [{ supportEmail: "not-an-address" }, "supportEmail"],
    [{ footerText: "y".repeat(201) }, "footerText"]
  ] as ReadonlyArray<readonly [BrandingPatch, string]>)("refuses %o naming %s, writing nothing", async (patch, field) => {
    const i = isolate()
    const refusal = await i.refuse(patch)
    expect(refusal).toBeInstanceOf(InvalidBranding)
    expect((refusal as InvalidBranding).field).toBe(field)
    expect((await isolate().get()).version).toBe(0)
  })

  it("a low-contrast primary colour is refused with the ratio WCAG AA needs", async () => {
    const refusal = await isolate().refuse({ primaryColor: "#ffeb3b" }) as InvalidBranding
    expect(refusal.reason).toMatch(/contrast .* is 1\.\d\d:1; WCAG AA needs at least 4\.5:1/)
  })

  it("accepts an https logo, an /avatars/ path of this issuer, a dark-mode accent and a light background", async () => {
    const i = isolate()
    await i.update({ logoUrl: "https://cdn.acme.example/logo.svg", primaryColorDark: "#7cacf8", backgroundColor: "#eef2ff" })
    expect((await i.update({ logoUrl: "/avatars/0123abcd.png" })).branding.logoUrl).toBe("/avatars/0123abcd.png")
  })

  it("audits admin.action with the acting admin and the changed fields", async () => {
    const i = isolate()
    await i.update({ productName: "Acme", termsUrl: "https://acme.example/terms" }, 0, "admin-7")
    expect(i.h.audit.events()).toMatchObject([{
      type: "admin.action", actor: { kind: "admin", id: "admin-7" }, subject: { kind: "settings", id: "branding" },
      details: { action: "branding.updated", version: 1, fields: "productName,termsUrl" }
    }])
  })

  it("the writing isolate sees the change at once; another isolate after its copy's TTL", async () => {
    const writer = isolate()
    const other = isolate()
    expect((await other.get()).branding.productName).toBe("Authrim")
    await writer.update({ productName: "Acme" })
    expect((await writer.get()).branding.productName).toBe("Acme")
    expect((await other.get()).branding.productName).toBe("Authrim")
    other.h.clock.advance(SETTINGS_MEMORY_TTL_MS)
    expect((await other.get()).branding.productName).toBe("Acme")
  })
})
