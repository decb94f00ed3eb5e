import { act, render, screen } from "@testing-library/svelte";
import { describe, expect, it } from "vitest";
import { CheckRun } from "../lib/checks.svelte";
import type { CheckEvent } from "../lib/types";
import CheckSummary from "./CheckSummary.svelte";

const specs = [
  { id: "role.least_privilege", title: "Key is read-only", mandatory: true },
  { id: "access.users", title: "Users can be read", mandatory: true },
  { id: "access.devices", title: "Devices can be read", mandatory: false },
];

describe("CheckSummary", () => {
  it("names the first running check and counts the others running with it", async () => {
    const run = new CheckRun(specs);
    let emit: (e: CheckEvent) => void = () => {};
    void run.run((onEvent) => {
      emit = onEvent;
      return new Promise(() => {});
    });
    render(CheckSummary, { run });
    await act(() => {
      emit({ event: "started", id: "access.devices", title: "Devices can be read" });
      emit({ event: "started", id: "role.least_privilege", title: "Key is read-only" });
    });
    expect(
      screen.getByText("Now: Key is read-only, and 1 more check at the same time"),
      "the running checks are named in catalogue order, whatever order they started in",
    ).toBeInTheDocument();
    await act(() => emit({ event: "finished", id: "role.least_privilege", title: "Key is read-only", mandatory: true, state: "pass", message: "ok", fix: null, detail: [] }));
    expect(screen.getByText("Now: Devices can be read"), "one check left running is named alone").toBeInTheDocument();
    expect(screen.getByText(/1 of 3 checks done/), "progress counts finished checks").toBeInTheDocument();
  });
});
