// What is printed is what is written (issue 21, Must show 5). The plan a reviewer reads (text,
// Markdown or --json) and the plan file --out saves are the same items; applying the saved plan
// prints that same plan again, byte for byte, and writes exactly its items to the fake ARM (the
// real Azure SDK over HTTPS, test/fake-arm). A saved plan rewritten so that it would print one
// thing and write another is refused before ARM is read, even with its digest recomputed (a
// sha256 is no signature): src/deploy/plan-identity.ts.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { planDigest, type SavedPlan } from "../../src/deploy/plan-file.js";
import { FakeArm } from "../fake-arm/server.js";
import { writeFakeAz } from "../support/fake-az.js";
import { azpolAsync, type CliRun } from "../support/cli.js";

const root = join(import.meta.dirname, "..", "..");
const SUB = "66666666-6666-6666-6666-666666666666";
const arm = new FakeArm({ subscriptions: [SUB], resourceGroups: { [SUB]: ["rg-demo", "rg-other"] } });
const work = mkdtempSync(join(tmpdir(), "azpol-printed-"));
const project = join(work, "project");

beforeAll(async () => {
  await arm.start();
  writeFakeAz(join(work, "bin"), SUB);
  writeFileSync(join(work, "ca.pem"), arm.cert);
  cpSync(join(root, "constraint-templates"), join(project, "constraint-templates"), { recursive: true });
  cpSync(join(root, "definitions"), join(project, "definitions"), { recursive: true });
});
afterAll(async () => {
  await arm.stop();
  rmSync(work, { recursive: true, force: true });
});
beforeEach(() => arm.reset());

const env = { PATH: `${join(work, "bin")}:${process.env.PATH ?? ""}`, AZURE_TOKEN_CREDENTIALS: "AzureCliCredential", AZURE_SUBSCRIPTION_ID: SUB, AZPOL_ARM_CA_FILE: join(work, "ca.pem"), AZPOL_RETRY_DELAY_MS: "5" };
const deploy = (...args: string[]): Promise<CliRun> => azpolAsync(["deploy", ...args], { cwd: project, env: { ...env, AZPOL_ARM_ENDPOINT: arm.endpoint } });
const readPlan = (file: string) => JSON.parse(readFileSync(join(project, file), "utf8")) as SavedPlan;
/** kind, name, action and id of each item: what a reviewer is shown and what apply addresses */
const identities = (items: { kind: string; name: string; action: string; id: string }[]) => items.map(({ kind, name, action, id }) => ({ kind, name, action, id }));
const LABEL: Record<string, string> = { definition: "definition", setDefinition: "initiative", assignment: "assignment", exemption: "exemption" };

describe("a saved plan prints and writes the same items", () => {
  it("text, Markdown and --json show the items --out saves; --plan prints the same plan and writes exactly those items", async () => {
    const text = await deploy("--scope", "rg-demo", "--dry-run", "--out", "plan.json", "--param", "effect=Audit");
    expect(text.status, text.stderr).toBe(0);
    const saved = readPlan("plan.json");
    expect(saved.plan.items.length).toBeGreaterThan(0);
    // text: one line per item, "<symbol> <action> <kind> <name>", in the saved order
    const printed = text.stdout.split("\n").filter((l) => /^ {2}[+~=!-] /.test(l)).map((l) => l.trim().split(/\s+/).slice(1));
    expect(printed).toEqual(saved.plan.items.map((i) => [i.action, LABEL[i.kind], i.name]));

    const markdown = await deploy("--scope", "rg-demo", "--dry-run", "--format", "markdown", "--out", "plan-md.json", "--param", "effect=Audit");
    expect(markdown.status, markdown.stderr).toBe(0);
    const rows = [...markdown.stdout.matchAll(/^\| \S \| (\w+) \| (\w+) \| <code>([^<]+)<\/code> \|$/gm)].map((m) => [m[1], m[2], m[3]]);
    expect(rows).toEqual(saved.plan.items.map((i) => [i.action, LABEL[i.kind], i.name]));
    expect(identities(readPlan("plan-md.json").plan.items)).toEqual(identities(saved.plan.items));

    const json = await deploy("--scope", "rg-demo", "--dry-run", "--json", "--out", "plan-json.json", "--param", "effect=Audit");
    expect(json.status, json.stderr).toBe(0);
    const doc = JSON.parse(json.stdout) as { plan: { scope: string; counts: unknown; items: { kind: string; name: string; action: string; id: string }[] } };
    expect(doc.plan.scope).toBe(saved.plan.scope);
    expect(doc.plan.counts).toEqual(saved.plan.counts);
    expect(identities(doc.plan.items)).toEqual(identities(saved.plan.items));
    expect(readPlan("plan-json.json").plan.items).toEqual(saved.plan.items);

    // applied later: the plan printed again is the plan reviewed, byte for byte
    const applied = await deploy("--plan", "plan.json", "--yes");
    expect(applied.status, applied.stderr).toBe(0);
    expect(applied.stdout.startsWith(text.stdout.trimEnd())).toBe(true);
    // and what ARM received is each saved item, at its id, with its body (the fake adds read-only fields)
    const puts = arm.writes().map((w) => w.path);
    expect(puts).toEqual(expect.arrayContaining(saved.plan.items.filter((i) => i.action === "create").map((i) => i.id)));
    expect(puts).toHaveLength(saved.plan.counts.create);
    for (const item of saved.plan.items) {
      const stored = arm.get(item.id);
      expect(stored?.name).toBe(item.name);
      expect(stored?.properties).toMatchObject((item.desired as { properties: Record<string, unknown> }).properties);
    }
    // the outcomes name the same items
    const outcomes = applied.stdout.split("\n").filter((l) => l.startsWith("created ")).map((l) => l.split(" ").slice(1));
    expect(outcomes.sort()).toEqual(saved.plan.items.map((i) => [LABEL[i.kind], i.name]).sort());
  });

  it("a saved plan rewritten to print one thing and write another is refused, even with its digest recomputed", async () => {
    expect((await deploy("--scope", "rg-demo", "--dry-run", "--out", "plan.json")).status).toBe(0);
    const original = readPlan("plan.json");
    type Item = SavedPlan["plan"]["items"][number] & { desired: Record<string, unknown> };
    const first = (p: SavedPlan) => p.plan.items[0] as Item;
    const assignment = (p: SavedPlan) => p.plan.items.find((i) => i.kind === "assignment") as Item;
    const forgeries: [string, (p: SavedPlan) => void][] = [
      ["a harmless name over another body", (p) => void (first(p).name = "reviewed-and-harmless")],
      ["name and id renamed, the body's name not", (p) => {
        first(p).name = "reviewed-and-harmless";
        first(p).id = first(p).id.replace(/[^/]+$/, "reviewed-and-harmless");
      }],
      ["an assignment written at another scope than printed", (p) => {
        const a = assignment(p);
        const other = `/subscriptions/${SUB}/resourceGroups/rg-other`;
        a.desired.scope = { kind: "resourceGroup", id: other, subscriptionId: SUB, resourceGroup: "rg-other" };
        a.id = a.desired.id = `${other}/providers/Microsoft.Authorization/policyAssignments/${a.name}`;
      }],
      ["a definition written in another subscription than printed", (p) => {
        const d = first(p);
        const other = "77777777-7777-7777-7777-777777777777";
        d.desired.location = { subscriptionId: other };
        d.id = d.desired.id = d.id.replace(SUB, other);
      }],
      ["a right-to-left override in a name", (p) => {
        const d = first(p);
        d.name = d.desired.name = `${d.name}\u202e`;
        d.id = d.desired.id = `${d.id}\u202e`;
      }],
      ["counts that are not the items", (p) => void (p.plan.counts.create = 0)],
    ];
    for (const [what, forge] of forgeries) {
      const copy = JSON.parse(JSON.stringify(original)) as SavedPlan;
      forge(copy);
      copy.digest = planDigest(copy);
      writeFileSync(join(project, "forged.json"), JSON.stringify(copy, null, 2));
      arm.requests.length = 0;
      const run = await deploy("--plan", "forged.json", "--yes", "--json");
      expect(run.status, `${what}: ${run.stderr}`).toBe(2);
      expect((JSON.parse(run.stdout) as { error: { message: string } }).error.message, what).toMatch(/would not write what it prints: item \d|would not write what it prints: its counts/);
      expect(arm.requests, what).toEqual([]);
    }
    // the untouched plan still applies (the forgeries were refused for what they changed)
    expect((await deploy("--plan", "plan.json", "--yes")).status).toBe(0);
  });
});
