// deploy as a pipeline runs it: the plan reads two lists (not one GET per resource), prune deletes
// only this owner's leftovers (assignments first), plans are saved for review and applied exactly
// or refused when Azure changed since, and the plan renders as Markdown for a pull request.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { FakeArm } from "../fake-arm/server.js";
import { writeFakeAz } from "../support/fake-az.js";
import { azpolAsync, type CliRun } from "../support/cli.js";

const root = join(import.meta.dirname, "..", "..");
const SUB = "55555555-5555-5555-5555-555555555555";
const arm = new FakeArm({ subscriptions: [SUB], resourceGroups: { [SUB]: ["rg-demo"] }, pageSize: 3 });
const work = mkdtempSync(join(tmpdir(), "azpol-pipeline-"));
const project = join(work, "project");

beforeAll(async () => {
  await arm.start();
  writeFakeAz(join(work, "bin"), SUB);
  writeFileSync(join(work, "ca.pem"), arm.cert);
  cpSync(join(root, "constraint-templates"), join(project, "constraint-templates"), { recursive: true });
});
afterAll(async () => {
  await arm.stop();
  rmSync(work, { recursive: true, force: true });
});
beforeEach(() => {
  arm.reset();
  rmSync(join(project, "definitions"), { recursive: true, force: true });
  cpSync(join(root, "definitions"), join(project, "definitions"), { recursive: true });
});

const env = { PATH: `${join(work, "bin")}:${process.env.PATH ?? ""}`, AZURE_TOKEN_CREDENTIALS: "AzureCliCredential", AZURE_SUBSCRIPTION_ID: SUB, AZPOL_ARM_ENDPOINT: "", AZPOL_ARM_CA_FILE: join(work, "ca.pem"), AZPOL_RETRY_DELAY_MS: "5" };
const deploy = (...args: string[]): Promise<CliRun> => azpolAsync(["deploy", ...args], { cwd: project, env: { ...env, AZPOL_ARM_ENDPOINT: arm.endpoint } });
const reads = () => arm.requests.filter((r) => r.method === "GET");

describe("deploy in a pipeline", () => {
  it("plans from two paged lists: an unchanged re-run reads only the lists and writes nothing", async () => {
    expect((await deploy("--scope", "rg-demo", "--yes")).status).toBe(0);
    arm.requests.length = 0;
    const again = await deploy("--scope", "rg-demo", "--yes");
    expect(again.status).toBe(0);
    expect(arm.writes()).toEqual([]);
    // 2 custom definitions and 2 assignments, one page each: one list request per collection
    expect(reads().map((r) => r.path)).toEqual(expect.arrayContaining([`/subscriptions/${SUB}/providers/Microsoft.Authorization/policyDefinitions`, `/subscriptions/${SUB}/resourceGroups/rg-demo/providers/Microsoft.Authorization/policyAssignments`]));
    expect(reads()).toHaveLength(2);
    const definitionsQuery = new URLSearchParams(reads().find((r) => r.path.endsWith("policyDefinitions"))?.query ?? "");
    expect(definitionsQuery.get("$filter")).toBe("policyType eq 'Custom'");
  });

  it("--prune deletes what this owner made and the sources dropped, assignments first; never another owner's", async () => {
    expect((await deploy("--scope", "rg-demo", "--yes", "--owner", "team-a")).status).toBe(0);
    // another owner's deployment of a third definition at the same scope
    cpSync(join(project, "definitions", "allowed-registries"), join(project, "other", "team-b-registries"), { recursive: true });
    writeFileSync(join(project, "other", "team-b-registries", "definition.yaml"), readFileSync(join(project, "definitions", "allowed-registries", "definition.yaml"), "utf8").replace("name: allowed-registries", "name: team-b-registries").replace("../../constraint-templates", "../../constraint-templates"));
    expect((await deploy("other", "--scope", "rg-demo", "--yes", "--owner", "team-b")).status).toBe(0);
    rmSync(join(project, "definitions", "allowed-registries"), { recursive: true });
    const before = arm.requests.length;
    const pruned = await deploy("--scope", "rg-demo", "--yes", "--owner", "team-a", "--prune");
    expect(pruned.status, pruned.stderr).toBe(0);
    expect(pruned.stdout).toContain("  - delete    assignment allowed-registries");
    expect(pruned.stdout).toContain("  - delete    definition allowed-registries");
    const deletes = arm.requests.slice(before).filter((r) => r.method === "DELETE").map((r) => r.path.split("/").slice(-2).join("/"));
    expect(deletes).toEqual(["policyAssignments/allowed-registries", "policyDefinitions/allowed-registries"]);
    expect(arm.all("policyDefinitions").map((d) => d.name).sort()).toEqual(["k8s-gcr-deprecation", "team-b-registries"]);
  });

  it("--prune needs an owner said out loud (--owner or azpol.yaml)", async () => {
    const run = await deploy("--scope", "rg-demo", "--prune", "--dry-run");
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/--prune deletes what this owner made: say who that is with --owner/);
    writeFileSync(join(project, "azpol.yaml"), "owner: platform-prod\n");
    try {
      expect((await deploy("--scope", "rg-demo", "--prune", "--dry-run")).status).toBe(0);
    } finally {
      rmSync(join(project, "azpol.yaml"));
    }
  });

  it("a saved plan is applied exactly, and refused when Azure changed since it was made", async () => {
    const saved = await deploy("--scope", "rg-demo", "--dry-run", "--out", "plan.json");
    expect(saved.status).toBe(0);
    expect(arm.writes()).toEqual([]);
    expect(JSON.parse(readFileSync(join(project, "plan.json"), "utf8"))).toMatchObject({ azpolPlan: 1, plan: { scope: `/subscriptions/${SUB}/resourceGroups/rg-demo`, counts: { create: 4 } } });
    // the sources change after the review: the plan, not the sources, is what gets applied
    rmSync(join(project, "definitions", "allowed-registries"), { recursive: true });
    const applied = await deploy("--plan", "plan.json", "--yes");
    expect(applied.status, applied.stderr).toBe(0);
    expect(arm.writes()).toHaveLength(4);
    // a new plan, then someone changes Azure before it is applied
    writeFileSync(join(project, "definitions", "k8s-gcr-deprecation", "definition.yaml"), readFileSync(join(project, "definitions", "k8s-gcr-deprecation", "definition.yaml"), "utf8").replace("effect: Deny", "effect: Audit"));
    expect((await deploy("--scope", "rg-demo", "--dry-run", "--out", "plan.json")).status).toBe(0);
    const stored = arm.get(`/subscriptions/${SUB}/providers/Microsoft.Authorization/policyDefinitions/k8s-gcr-deprecation`);
    if (stored) stored.properties.description = "changed by someone else";
    const writes = arm.writes().length;
    const stale = await deploy("--plan", "plan.json", "--yes");
    expect(stale.status).toBe(1);
    expect(stale.stderr).toMatch(/Azure changed since plan\.json was made .*definition k8s-gcr-deprecation; nothing was applied/);
    expect(arm.writes()).toHaveLength(writes);
  });

  it("a plan edited after review (a body, an action, an added item), or with --scope beside it, is refused before anything is read or written", async () => {
    expect((await deploy("--scope", "rg-demo", "--dry-run", "--out", "plan.json")).status).toBe(0);
    const original = JSON.parse(readFileSync(join(project, "plan.json"), "utf8")) as { digest: string; azpolVersion: string; plan: { items: Record<string, unknown>[] } };
    expect(original.digest).toMatch(/^[0-9a-f]{64}$/);
    const edits: ((p: typeof original) => void)[] = [
      (p) => void ((p.plan.items[0] as { action: string }).action = "delete"),
      (p) => void ((p.plan.items[0] as { desired?: unknown }).desired = { properties: { displayName: "changed after review" } }),
      (p) => void p.plan.items.push({ ...p.plan.items[0], name: "smuggled" }),
      (p) => void delete (p as { digest?: string }).digest,
      (p) => void (p.azpolVersion = "0.0.1"),
    ];
    for (const edit of edits) {
      const copy = JSON.parse(JSON.stringify(original)) as typeof original;
      edit(copy);
      writeFileSync(join(project, "edited.json"), JSON.stringify(copy, null, 2));
      const before = arm.requests.length;
      const run = await deploy("--plan", "edited.json", "--yes", "--json");
      expect(run.status, run.stderr).toBe(2);
      expect((JSON.parse(run.stdout) as { error: { message: string } }).error.message).toMatch(/changed after it was made|carries no digest|was made by azpol 0\.0\.1/);
      expect(arm.requests.length).toBe(before);
    }
    const scoped = await deploy("--plan", "plan.json", "--scope", "rg-other", "--yes");
    expect(scoped.status).toBe(2);
    expect(scoped.stderr).toMatch(/--scope cannot change it/);
  });

  it("--out never replaces a file that is not an azpol plan", async () => {
    writeFileSync(join(project, "notes.json"), '{"mine": true}\n');
    const run = await deploy("--scope", "rg-demo", "--dry-run", "--out", "notes.json");
    expect(run.status).toBe(2);
    expect(readFileSync(join(project, "notes.json"), "utf8")).toBe('{"mine": true}\n');
  });

  it("a parameter change Azure rejects is blocked, and --allow-replace replaces the definition safely", async () => {
    expect((await deploy("--scope", "rg-demo", "--yes")).status).toBe(0);
    // drop the 'message' parameter: ARM rejects removing a parameter from an existing definition
    const file = join(project, "definitions", "k8s-gcr-deprecation", "definition.yaml");
    const text = readFileSync(file, "utf8");
    const dropped = text.replace(/ {2}message:\n( {4}.*\n)+/, "");
    expect(dropped).not.toBe(text);
    writeFileSync(file, dropped);
    const blocked = await deploy("--scope", "rg-demo", "--yes");
    expect(blocked.status, blocked.stdout + blocked.stderr).toBe(1);
    expect(blocked.stdout).toContain("with --allow-replace: create the definition as k8s-gcr-deprecation-v2");
    const replaced = await deploy("--scope", "rg-demo", "--yes", "--allow-replace");
    expect(replaced.status, replaced.stdout + replaced.stderr).toBe(0);
    expect(arm.all("policyDefinitions").map((d) => d.name).sort()).toEqual(["allowed-registries", "k8s-gcr-deprecation-v2"]);
    const assignment = arm.get(`/subscriptions/${SUB}/resourceGroups/rg-demo/providers/Microsoft.Authorization/policyAssignments/k8s-gcr-deprecation`);
    expect(assignment?.properties.policyDefinitionId).toBe(`/subscriptions/${SUB}/providers/Microsoft.Authorization/policyDefinitions/k8s-gcr-deprecation-v2`);
    const writes = arm.writes().length;
    expect((await deploy("--scope", "rg-demo", "--yes")).status).toBe(0);
    expect(arm.writes()).toHaveLength(writes);
  });

  it("--format markdown prints a plan fit for a pull-request comment", async () => {
    const run = await deploy("--scope", "rg-demo", "--dry-run", "--format", "markdown");
    expect(run.status).toBe(0);
    expect(run.stdout).toContain(`### azpol plan for \`/subscriptions/${SUB}/resourceGroups/rg-demo\``);
    expect(run.stdout).toContain("| + | create | definition | <code>k8s-gcr-deprecation</code> |");
    expect(run.stdout).toMatch(/\*\*4\*\* to create/);
  });

  it("--dry-run --detailed-exitcode: 0 nothing to do, 2 changes pending, 1 any error; the plan shows what creates write and values side by side", async () => {
    const fresh = await deploy("--scope", "rg-demo", "--dry-run", "--detailed-exitcode", "--param", "effect=Audit");
    expect(fresh.status, fresh.stderr).toBe(2);
    expect(fresh.stdout).toContain('      + mode: "Microsoft.Kubernetes.Data"');
    expect(fresh.stdout).toMatch(/parameters\.effect +\(none\) +"Audit" +\(--param, this run only\)/);
    expect((await deploy("--scope", "rg-demo", "--yes")).status).toBe(0);
    const none = await deploy("--scope", "rg-demo", "--dry-run", "--detailed-exitcode");
    expect(none.status, none.stderr).toBe(0);
    const json = await deploy("--scope", "rg-demo", "--dry-run", "--detailed-exitcode", "--json", "--param", "effect=Audit");
    expect(json.status).toBe(2);
    const doc = JSON.parse(json.stdout) as { plan: { valueOrigins: Record<string, string>; items: { action: string; review: { values: { name: string; current?: unknown; desired?: unknown; origin?: string }[] } }[] } };
    expect(doc.plan.valueOrigins).toEqual({ "parameters.effect": "--param" });
    expect(doc.plan.items.flatMap((i) => i.review.values)).toContainEqual({ name: "parameters.effect", desired: "Audit", origin: "--param" });
    // every failure is 1 under --detailed-exitcode, so 2 only ever means "changes pending"
    expect((await deploy("--scope", "rg-demo", "--detailed-exitcode")).status).toBe(1);
    expect((await deploy("--scope", "rg-demo", "--dry-run", "--detailed-exitcode", "--no-such-flag")).status).toBe(1);
    expect((await deploy("--scope", "rg-demo", "--dry-run", "--no-such-flag")).status).toBe(2);
    arm.fault({ method: "GET", path: /policyDefinitions$/, status: 403, code: "AuthorizationFailed", times: 1 });
    expect((await deploy("--scope", "rg-demo", "--dry-run", "--detailed-exitcode", "--max-retries", "0")).status).toBe(1);
  });

  it("a template change is planned as a unified diff of its YAML, in text and in Markdown", async () => {
    expect((await deploy("--scope", "rg-demo", "--yes")).status).toBe(0);
    const file = join(project, "constraint-templates", "allowed-registries", "template.yaml");
    const original = readFileSync(file, "utf8");
    try {
      writeFileSync(file, original.replace(/\n/, "\n# reviewed in PR 42\n"));
      const text = await deploy("--scope", "rg-demo", "--dry-run", "--detailed-exitcode");
      expect(text.status, text.stderr).toBe(2);
      expect(text.stdout).toContain("~ policyRule.then.details.templateInfo.content (Base64; the decoded YAML):");
      expect(text.stdout).toMatch(/\n {10}\+# reviewed in PR 42\n/);
      const markdown = await deploy("--scope", "rg-demo", "--dry-run", "--format", "markdown");
      expect(markdown.stdout).toMatch(/```diff\n--- azure\/policyRule\.then\.details\.templateInfo\n\+\+\+ desired\/policyRule\.then\.details\.templateInfo\n@@ [^\n]+ @@\n[^]*\n\+# reviewed in PR 42\n/);
    } finally {
      writeFileSync(file, original);
    }
  });

  it("--deadline bounds the whole run: a hung read ends it (exit 3) long before --request-timeout, and nothing is written", async () => {
    // asserted by outcome only: the hung list never answers, so however slow the machine, the run can
    // only end by the deadline (during or before the read), never by the 600 s request timeout (the
    // test's own timeout is far below it). The write side is test/deploy/initiative-plan.test.ts.
    arm.fault({ method: "GET", path: /policyDefinitions$/, status: 0, code: "", kind: "hang", times: 1 });
    const reading = await deploy("--scope", "rg-demo", "--yes", "--deadline", "1", "--request-timeout", "600", "--max-retries", "0");
    expect(reading.status, reading.stderr).toBe(3);
    expect(reading.stderr).toMatch(/reading ARM: the --deadline of 1 s passed/);
    expect(arm.writes()).toEqual([]);
    expect((await deploy("--scope", "rg-demo", "--dry-run", "--deadline", "0")).stderr).toMatch(/--deadline must be a number of seconds/);
  });
});
