import { describe, expect, it } from "vitest";
import { FAKE_CATALOGUE, FAKE_DEMO_KEYS, FakeBackend, fakeKeyShape, fakeOrgShape } from "./backend.fake";
import type { CheckEvent } from "./types";

describe("the fake backend's shape checks (mirroring the Rust wording)", () => {
  it("says when part of a key is missing", () => {
    const r = fakeKeyShape("jca_abc123");
    expect(r.ok, "a 10-character key cannot be whole").toBe(false);
    expect(r.message).toMatch(/part of it is missing/);
  });

  it("trims spaces around a pasted key and says so", () => {
    const r = fakeKeyShape(`  ${FAKE_DEMO_KEYS["healthy"]}\n`);
    expect(r.ok, "surrounding whitespace is not part of the key").toBe(true);
    expect(r.message).toMatch(/Spaces around the key were removed/);
  });

  it("accepts a legacy 40-character key without the jca_ prefix", () => {
    expect(fakeKeyShape("a".repeat(40)).ok, "legacy keys have no prefix but still work").toBe(true);
  });

  it("treats an empty org ID as fine and a short one as wrong", () => {
    expect(fakeOrgShape("").ok, "the org ID is optional").toBe(true);
    expect(fakeOrgShape("abc").message).toMatch(/3 characters long/);
    expect(fakeOrgShape("z".repeat(24)).ok, "org IDs are hex").toBe(false);
  });
});

describe("the fake backend's check runs", () => {
  it("emits started then finished for each check that runs, in catalogue order", async () => {
    const fake = new FakeBackend();
    const events: CheckEvent[] = [];
    const report = await fake.runChecks({ key: FAKE_DEMO_KEYS["healthy"]!, org_id: null, region: "auto", demo: false }, (e) => events.push(e));
    expect(report.ok, "the healthy scenario passes").toBe(true);
    expect(report.checks.map((c) => c.id), "the report lists the whole catalogue").toEqual(FAKE_CATALOGUE.map((c) => c.id));
    expect(events[0]).toMatchObject({ event: "started", id: "key.shape" });
    expect(events[1]).toMatchObject({ event: "finished", id: "key.shape", state: "pass" });
    expect(events.filter((e) => e.event === "finished")).toHaveLength(FAKE_CATALOGUE.length);
  });

  it("lists the orgs of a multi-tenant key and skips what follows the org check", async () => {
    const fake = new FakeBackend();
    const report = await fake.runChecks({ key: FAKE_DEMO_KEYS["multi-tenant"]!, org_id: null, region: "auto", demo: false }, () => {});
    expect(report.ok).toBe(false);
    expect(report.orgs_available.map((o) => o.name)).toEqual(["Northwind Traders", "Contoso Ltd", "Fabrikam Inc"]);
    expect(report.checks.find((c) => c.id === "org.selected")?.state).toBe("fail");
    expect(report.checks.find((c) => c.id === "access.users")?.state, "checks after a failed mandatory one are skipped").toBe("skipped");
  });

  it("fails the role check for a Command Runner key", async () => {
    const fake = new FakeBackend();
    const report = await fake.runChecks({ key: FAKE_DEMO_KEYS["command-runner"]!, org_id: null, region: "auto", demo: false }, () => {});
    const role = report.checks.find((c) => c.id === "role.least_privilege");
    expect(role?.state).toBe("fail");
    expect(role?.fix, "a failed check always says what to do").toMatch(/Read Only/);
  });

  it("refuses a demo request when no demo is running, with a next step", async () => {
    const fake = new FakeBackend();
    await expect(fake.runChecks({ key: "x", org_id: null, region: "auto", demo: true }, () => {})).rejects.toMatchObject({
      kind: "demo_not_running",
      fix: expect.stringContaining("Try with a demo organization"),
    });
  });
});
