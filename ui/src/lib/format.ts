// Small wording helpers shared by the screens.

import type { Region, RegionChoice, RoleVerdict } from "./types";

export const REGION_LABEL: Record<Region, string> = { us: "US", eu: "EU", in: "India" };

export const REGION_CHOICES: { value: RegionChoice; label: string; hint: string }[] = [
  { value: "auto", label: "Automatic", hint: "Recommended: the test finds your data center for you." },
  { value: "us", label: "US", hint: "console.jumpcloud.com" },
  { value: "eu", label: "EU", hint: "console.eu.jumpcloud.com" },
  { value: "in", label: "India", hint: "console.in.jumpcloud.com" },
];

export function dataCenter(region: Region | null): string {
  return region ? `the ${REGION_LABEL[region]} data center` : "an unknown data center";
}

/** "5 minutes ago", "yesterday", … ; the exact time goes in a title attribute. */
export function relativeTime(iso: string, now: number = Date.now()): string {
  const then = Date.parse(iso);
  if (Number.isNaN(then)) return "at an unknown time";
  const seconds = Math.round((then - now) / 1000);
  const rtf = new Intl.RelativeTimeFormat(undefined, { numeric: "auto" });
  const abs = Math.abs(seconds);
  if (abs < 45) return "just now";
  if (abs < 60 * 45) return rtf.format(Math.round(seconds / 60), "minute");
  if (abs < 3600 * 22) return rtf.format(Math.round(seconds / 3600), "hour");
  if (abs < 86400 * 26) return rtf.format(Math.round(seconds / 86400), "day");
  if (abs < 86400 * 320) return rtf.format(Math.round(seconds / (86400 * 30)), "month");
  return rtf.format(Math.round(seconds / (86400 * 365)), "year");
}

export function exactTime(iso: string): string {
  const then = new Date(iso);
  return Number.isNaN(then.getTime()) ? iso : then.toLocaleString();
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** Moves keyboard focus to the page's main heading after a screen change. */
export function focusHeading(root: ParentNode = document): void {
  const heading = root.querySelector<HTMLElement>("main h1");
  heading?.focus();
}

/**
 * A long value split where a line may break sensibly: after "@", ".", "/", "_" and "-", so an
 * email or an address wraps between its parts, never mid-word. Rendered with a <wbr> after each part.
 */
export function breakable(value: string): string[] {
  return value.split(/(?<=[@./_-])/);
}

export const VERDICT_TONE: Record<RoleVerdict, "pass" | "info" | "warn" | "fail"> = {
  exact: "pass",
  read_only_broader: "info",
  can_change: "warn",
  lacking: "warn",
  cannot_read: "fail",
  unknown: "info",
};
