import { exports } from "cloudflare:workers"
import { describe, expect, it } from "vitest"
describe("spike", () => {
  it("edge reaches keys", async () => {
    const r = await exports.default.fetch("http://x/")
    expect(await r.text()).toBe("pong")
  })
})
