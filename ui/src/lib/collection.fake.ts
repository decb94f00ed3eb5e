// An in-memory collection for the fake backend: a few thousand generated records with the same
// columns, paging, search, sort and relationships as the Rust side (onboard::collect::browse).

import type { Category, CollectProgress, CollectionView, Column, RecordDetail, RelatedItem, RowPage, SortSpec } from "./types";

type Rec = Record<string, unknown>;

const text = (key: string, label: string): Column => ({ key, label, numeric: false });
const count = (key: string, label: string): Column => ({ key, label, numeric: true });

export const FAKE_COLUMNS: Record<string, Column[]> = {
  users: [
    text("username", "Username"),
    text("display_name", "Name"),
    text("email", "Email"),
    text("state", "State"),
    text("suspended", "Suspended"),
    text("locked", "Locked"),
    text("mfa_configured", "MFA"),
    text("department", "Department"),
    text("job_title", "Job title"),
    text("manager_name", "Manager"),
    text("id", "ID"),
  ],
  user_groups: [text("name", "Name"), text("description", "Description"), text("membership_method", "Membership"), count("effective_user_ids", "Members"), text("id", "ID")],
  applications: [text("display_name", "Name"), text("name", "Template"), text("sso_type", "SSO"), text("active", "Active"), count("user_group_ids", "Groups"), text("id", "ID")],
  devices: [
    text("hostname", "Hostname"),
    text("display_name", "Name"),
    text("os", "OS"),
    text("os_version", "Version"),
    text("active", "Active"),
    text("last_contact", "Last seen"),
    text("disk_encrypted", "Disk encrypted"),
    text("primary_user_id", "Primary user"),
    text("id", "ID"),
  ],
  admins: [text("email", "Email"), text("first_name", "First name"), text("last_name", "Last name"), text("role", "Role"), text("mfa_enabled", "MFA"), text("suspended", "Suspended"), text("id", "ID")],
};

/** A 1×1 PNG, as Rust hands logos over. */
export const FAKE_LOGO = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";

const LABELS: Record<string, string> = {
  users: "users",
  user_groups: "user groups",
  applications: "SSO applications",
  devices: "devices",
  admins: "administrators",
};

const FIRST = ["Grace", "Alan", "Ada", "Linus", "Margaret", "Ken", "Barbara", "Dennis", "Frances", "Edsger"];
const LAST = ["Hopper", "Turing", "Lovelace", "Torvalds", "Hamilton", "Thompson", "Liskov", "Ritchie", "Allen", "Dijkstra"];

export function fakeRecords(userCount = 1500): Record<string, Rec[]> {
  const users: Rec[] = [];
  for (let i = 0; i < userCount; i++) {
    const first = FIRST[i % FIRST.length]!;
    const last = LAST[Math.floor(i / FIRST.length) % LAST.length]!;
    const n = Math.floor(i / 100);
    const username = `${first}.${last}${n === 0 ? "" : n}`.toLowerCase();
    users.push({
      id: `u${String(i).padStart(5, "0")}`,
      username,
      display_name: `${first} ${last}${n === 0 ? "" : ` ${n}`}`,
      email: i % 97 === 5 ? null : `${username}@acme.example`,
      state: i % 50 === 7 ? "SUSPENDED" : "ACTIVATED",
      suspended: i % 50 === 7,
      locked: i % 211 === 3,
      mfa_configured: i % 4 !== 0,
      department: ["Engineering", "Sales", "Finance"][i % 3],
      job_title: null,
      manager_name: null,
    });
  }
  const groups: Rec[] = [
    { id: "g-eng", name: "Engineering", description: "Everyone who builds", membership_method: "STATIC", effective_user_ids: users.filter((_, i) => i % 3 === 0).map((u) => u.id) },
    { id: "g-sales", name: "Sales", description: null, membership_method: "STATIC", effective_user_ids: users.filter((_, i) => i % 3 === 1).map((u) => u.id) },
    { id: "g-empty", name: "Contractors", description: null, membership_method: "STATIC", effective_user_ids: [] },
  ];
  const apps: Rec[] = [
    { id: "a-slack", display_name: "Slack", name: "slack", sso_type: "saml", active: true, user_group_ids: ["g-eng", "g-sales"], logo: FAKE_LOGO },
    { id: "a-aws", display_name: "AWS", name: "aws-sso", sso_type: "saml", active: true, user_group_ids: ["g-eng"] },
    { id: "a-wiki", display_name: "Internal wiki", name: "bookmark", sso_type: "bookmark", active: true, user_group_ids: [] },
  ];
  const devices: Rec[] = users.slice(0, 40).map((u, i) => ({
    id: `d${i}`,
    hostname: `laptop-${i}`,
    display_name: `Laptop ${i}`,
    os: i % 2 ? "Mac OS X" : "Windows",
    os_version: null,
    active: true,
    last_contact: i % 10 === 0 ? "2020-01-01T00:00:00Z" : new Date().toISOString(),
    disk_encrypted: true,
    primary_user_id: u.id,
  }));
  return { users, user_groups: groups, applications: apps, devices, admins: [] };
}

function cell(v: unknown): string {
  if (v === null || v === undefined) return "";
  if (typeof v === "boolean") return v ? "Yes" : "No";
  if (Array.isArray(v)) return v.map(cell).join("; ");
  if (typeof v === "object") return JSON.stringify(v);
  return String(v);
}

function labelOf(category: string, r: Rec): string {
  const fields = category === "users" ? ["display_name", "username", "email"] : category === "applications" ? ["display_name", "name"] : category === "devices" ? ["display_name", "hostname"] : ["name", "email"];
  for (const f of fields) {
    const t = cell(r[f]);
    if (t) return t;
  }
  return cell(r.id);
}

export class FakeCollection {
  data: Record<string, Rec[]> | null = null;
  /** The last finished collection's summary, as Rust keeps it for the tested connection. */
  last: CollectionView | null = null;

  constructor(private readonly makeRecords: () => Record<string, Rec[]> = () => fakeRecords()) {}

  async start(onProgress: (p: CollectProgress) => void, wait: () => Promise<void>): Promise<CollectionView> {
    const data = this.makeRecords();
    const categories = Object.keys(FAKE_COLUMNS);
    for (const category of categories) {
      const total = data[category]!.length;
      onProgress({ category: category as Category, label: LABELS[category]!, phase: "started", collected: 0, total: null, pages: 0, status: null });
      await wait();
      onProgress({ category: category as Category, label: LABELS[category]!, phase: "finished", collected: total, total, pages: 1, status: category === "admins" ? "forbidden" : "complete" });
    }
    this.data = data;
    const users = data.users!;
    const findings = [
      { kind: "no_email", label: "Users without an email address", count: users.filter((u) => !u.email).length },
      { kind: "suspended", label: "Suspended users", count: users.filter((u) => u.suspended).length },
      { kind: "locked", label: "Locked users", count: users.filter((u) => u.locked).length },
      { kind: "no_mfa", label: "Users without MFA", count: users.filter((u) => u.mfa_configured === false).length },
      { kind: "app_without_group", label: "Applications no group can use", count: data.applications!.filter((a) => (a.user_group_ids as string[]).length === 0).length },
      { kind: "empty_group", label: "Groups with no members", count: data.user_groups!.filter((g) => (g.effective_user_ids as string[]).length === 0).length },
      { kind: "stale_device", label: "Devices not seen in 30 days", count: data.devices!.filter((d) => String(d.last_contact).startsWith("2020")).length },
    ].filter((f) => f.count > 0);
    this.last = {
      categories: categories.map((category) => ({
        category: category as Category,
        label: LABELS[category]!,
        status: category === "admins" ? "forbidden" : "complete",
        collected: data[category]!.length,
        total: data[category]!.length,
        reason: category === "admins" ? "This key's role may not read administrators (403 Forbidden)." : null,
        notes: [],
      })),
      findings,
      warnings: [{ kind: "app_without_group", subject: "Internal wiki", detail: "No user group can use this application." }],
      collected_at: "2026-11-22T09:30:00Z",
      org_id: "5f0c1b2a3d4e5f6a7b8c9d0e",
      duration_ms: 900,
      requests: 24,
      cancelled: false,
    };
    return this.last!;
  }

  private rows(category: string): Rec[] {
    if (this.data === null) throw { kind: "not_found", message: "Nothing has been collected yet.", fix: 'Choose "Collect everything" first.' };
    return this.data[category] ?? [];
  }

  page(category: string, offset: number, limit: number, search: string | null, sort: SortSpec | null, uncapped = false): RowPage {
    const columns = FAKE_COLUMNS[category] ?? [text("id", "ID")];
    const needle = search?.trim().toLowerCase() ?? "";
    const shown = (r: Rec, c: Column): string => (c.numeric ? String((r[c.key] as unknown[] | undefined)?.length ?? 0) : cell(r[c.key]));
    let rows = this.rows(category).map((r) => ({ id: cell(r.id), cells: columns.map((c) => shown(r, c)), logo: (r.logo as string | undefined) ?? null }));
    if (needle) rows = rows.filter((r) => r.cells.some((c) => c.toLowerCase().includes(needle)));
    if (sort) {
      const i = columns.findIndex((c) => c.key === sort.column);
      if (i >= 0) {
        const numeric = columns[i]!.numeric;
        rows.sort((a, b) => (numeric ? Number(a.cells[i]) - Number(b.cells[i]) : a.cells[i]!.toLowerCase().localeCompare(b.cells[i]!.toLowerCase())) * (sort.descending ? -1 : 1));
      }
    }
    const slice = rows.slice(offset, offset + (uncapped ? limit : Math.min(limit, 200)));
    return {
      total_matching: rows.length,
      columns,
      ids: slice.map((r) => r.id),
      rows: slice.map((r) => r.cells),
      images: category === "applications" ? slice.map((r) => r.logo) : [],
    };
  }

  record(category: string, id: string): RecordDetail {
    const r = this.rows(category).find((x) => cell(x.id) === id);
    if (!r) throw { kind: "not_found", message: "There is no such record.", fix: "Collect again." };
    return {
      category: category as Category,
      id,
      label: labelOf(category, r),
      fields: Object.entries(r)
        .filter(([k]) => k !== "logo")
        .map(([k, v]) => [k, cell(v)] as [string, string]),
      image: (r.logo as string | undefined) ?? null,
    };
  }

  related(category: string, id: string): RelatedItem[] {
    const item = (c: Category, r: Rec): RelatedItem => ({ category: c, id: cell(r.id), label: labelOf(c, r) });
    const groups = this.rows("user_groups");
    const apps = this.rows("applications");
    if (category === "users") {
      const mine = groups.filter((g) => (g.effective_user_ids as string[]).includes(id));
      const ids = mine.map((g) => g.id as string);
      return [
        ...mine.map((g) => item("user_groups", g)),
        ...apps.filter((a) => (a.user_group_ids as string[]).some((g) => ids.includes(g))).map((a) => item("applications", a)),
        ...this.rows("devices").filter((d) => d.primary_user_id === id).map((d) => item("devices", d)),
      ];
    }
    if (category === "user_groups") {
      const g = groups.find((x) => x.id === id);
      const members = new Set((g?.effective_user_ids as string[] | undefined) ?? []);
      return [
        ...apps.filter((a) => (a.user_group_ids as string[]).includes(id)).map((a) => item("applications", a)),
        ...this.rows("users").filter((u) => members.has(u.id as string)).slice(0, 100).map((u) => item("users", u)),
      ];
    }
    if (category === "applications") {
      const a = apps.find((x) => x.id === id);
      const gids = (a?.user_group_ids as string[] | undefined) ?? [];
      return groups.filter((g) => gids.includes(g.id as string)).map((g) => item("user_groups", g));
    }
    if (category === "devices") {
      const d = this.rows("devices").find((x) => x.id === id);
      return this.rows("users").filter((u) => u.id === d?.primary_user_id).map((u) => item("users", u));
    }
    return [];
  }
}
