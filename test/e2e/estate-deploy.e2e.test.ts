// The whole estate in one plan: assignment sources under assignments/ name what they assign and
// where, deploy with no --scope plans and applies all of it (definitions at their location, every
// assignment at every scope, across subscriptions), --scope narrows it, --env picks values, flags
// override for one run and the plan says so. Against the fake ARM, which rejects an assignment
// outside its definition's scope and a parameter value its definition does not allow.
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { parse } from "yaml";
import { matchesCliSchema } from "../support/cli-schemas.js";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { FakeArm } from "../fake-arm/server.js";
import { writeFakeAz } from "../support/fake-az.js";
import { azpolAsync, type CliRun } from "../support/cli.js";
import { planDigest, type SavedPlan } from "../../src/deploy/plan-file.js";

const root = join(import.meta.dirname, "..", "..");
const SUB = "66666666-6666-6666-6666-666666666666";
const SUB2 = "77777777-7777-7777-7777-777777777777";
const arm = new FakeArm({ subscriptions: [SUB, SUB2], managementGroups: { platform: [SUB, SUB2] }, resourceGroups: { [SUB]: ["rg-a", "rg-b"], [SUB2]: ["rg-c"] }, pageSize: 2 });
const work = mkdtempSync(join(tmpdir(), "azpol-estate-"));
const project = join(work, "project");

const REGISTRIES = `# allowed registries across the platform; prod enforces, dev only reports
name: registries
definition: allowed-registries
scopes:
  - /subscriptions/${SUB}
  - /subscriptions/${SUB2}/resourceGroups/rg-c
notScopes:
  - /subscriptions/${SUB}/resourceGroups/rg-b
parameters:
  allowedRegistries: [myacr.azurecr.io]
nonComplianceMessages:
  - message: pull images from myacr.azurecr.io
environments:
  prod:
    enforcementMode: Default
  dev:
    enforcementMode: DoNotEnforce
    parameters:
      allowedRegistries: [myacr.azurecr.io, dev.azurecr.io]
`;
const TRUSTED = `name: trusted-images
initiative: trusted-images
definitionVersion: "1.*.*"
scopes: [/subscriptions/${SUB}/resourceGroups/rg-b]
parameters:
  effect: Audit
nonComplianceMessages:
  - message: only trusted registries
  - message: k8s.gcr.io is frozen
    policyDefinitionReferenceId: k8sGcrDeprecation
`;

beforeAll(async () => {
  await arm.start();
  writeFakeAz(join(work, "bin"), SUB);
  writeFileSync(join(work, "ca.pem"), arm.cert);
  for (const dir of ["constraint-templates", "definitions", "initiatives"]) cpSync(join(root, dir), join(project, dir), { recursive: true });
  writeFileSync(join(project, "azpol.yaml"), "owner: platform\ndefinitionLocation: mg:platform\n");
});
afterAll(async () => {
  await arm.stop();
  rmSync(work, { recursive: true, force: true });
});
beforeEach(() => {
  arm.reset();
  rmSync(join(project, "assignments"), { recursive: true, force: true });
  mkdirSync(join(project, "assignments", "platform"), { recursive: true });
  writeFileSync(join(project, "assignments", "platform", "registries.yaml"), REGISTRIES);
  writeFileSync(join(project, "assignments", "trusted.yaml"), TRUSTED);
});

const env = { PATH: `${join(work, "bin")}:${process.env.PATH ?? ""}`, AZURE_TOKEN_CREDENTIALS: "AzureCliCredential", AZURE_SUBSCRIPTION_ID: SUB, AZPOL_ARM_CA_FILE: join(work, "ca.pem"), AZPOL_RETRY_DELAY_MS: "5" };
const azpol = (...args: string[]): Promise<CliRun> => azpolAsync(args, { cwd: project, env: { ...env, AZPOL_ARM_ENDPOINT: arm.endpoint } });
const assignment = (scope: string, name: string) => arm.get(`${scope}/providers/Microsoft.Authorization/policyAssignments/${name}`);

describe("the estate from assignments/", () => {
  it("plans and applies everything in one run, across subscriptions; a re-run has nothing to do", async () => {
    const dry = await azpol("deploy", "--dry-run", "--detailed-exitcode", "--env", "prod");
    expect(dry.status, dry.stderr).toBe(2);
    expect(dry.stdout).toContain("Plan for the estate, assignments at 3 scope(s) (definitions in management group platform):");
    expect(dry.stdout.match(/\+ create +assignment +\S+/g)).toEqual(["+ create    assignment registries", "+ create    assignment registries", "+ create    assignment trusted-images"]);
    const applied = await azpol("deploy", "--yes", "--env", "prod");
    expect(applied.status, applied.stderr + applied.stdout).toBe(0);
    const mg = "/providers/Microsoft.Management/managementGroups/platform";
    expect(arm.all("policyDefinitions").map((d) => d.scope)).toEqual([mg, mg]);
    expect(assignment(`/subscriptions/${SUB2}/resourceGroups/rg-c`, "registries")?.properties).toMatchObject({
      policyDefinitionId: `${mg}/providers/Microsoft.Authorization/policyDefinitions/allowed-registries`,
      parameters: { allowedRegistries: { value: ["myacr.azurecr.io"] } },
      enforcementMode: "Default",
      nonComplianceMessages: [{ message: "pull images from myacr.azurecr.io" }],
    });
    // a notScope goes to the scopes it is below, not to every scope of the source
    expect(assignment(`/subscriptions/${SUB}`, "registries")?.properties.notScopes).toEqual([`/subscriptions/${SUB}/resourceGroups/rg-b`]);
    expect(assignment(`/subscriptions/${SUB2}/resourceGroups/rg-c`, "registries")?.properties.notScopes).toEqual([]);
    expect(assignment(`/subscriptions/${SUB}/resourceGroups/rg-b`, "trusted-images")?.properties).toMatchObject({ definitionVersion: "1.*.*", parameters: { effect: { value: "Audit" } } });
    const again = await azpol("deploy", "--dry-run", "--detailed-exitcode", "--env", "prod");
    expect(again.status, again.stdout).toBe(0);
    expect(again.stdout).toContain("Plan: 0 to create, 0 to update, 6 unchanged, 0 blocked.");
  });

  it("a plan of the estate saved with --out is applied with --plan exactly, across its scopes; refused when Azure changed since", async () => {
    const plan = join(work, "estate-plan.json");
    const dry = await azpol("deploy", "--dry-run", "--out", plan, "--env", "prod");
    expect(dry.status, dry.stderr).toBe(0);
    expect(arm.writes()).toEqual([]);
    const saved = JSON.parse(readFileSync(plan, "utf8")) as { plan: { estate: { location: unknown; scopes: string[] }; items: { action: string; id: string }[] } };
    expect(saved.plan.estate.location).toEqual({ managementGroupId: "platform" });
    expect(saved.plan.estate.scopes.sort()).toEqual([`/subscriptions/${SUB}`, `/subscriptions/${SUB}/resourceGroups/rg-b`, `/subscriptions/${SUB2}/resourceGroups/rg-c`].sort());
    // an item moved to a scope the estate does not list is refused, even with its digest recomputed
    const tampered = JSON.parse(readFileSync(plan, "utf8")) as SavedPlan;
    tampered.plan.estate = { location: { managementGroupId: "platform" }, scopes: saved.plan.estate.scopes.filter((s) => !s.endsWith("/rg-c")) };
    tampered.digest = planDigest(tampered);
    writeFileSync(join(work, "tampered.json"), JSON.stringify(tampered));
    const refused = await azpol("deploy", "--plan", join(work, "tampered.json"), "--yes");
    expect(refused.status).toBe(2);
    expect(refused.stderr).toMatch(/would not write what it prints: item \d+ would be assigned at \/subscriptions\/77777777-7777-7777-7777-777777777777\/resourceGroups\/rg-c, not a scope of the printed estate/);
    expect(arm.writes()).toEqual([]);
    // what --plan writes is the saved items, at their own scopes
    const applied = await azpol("deploy", "--plan", plan, "--yes");
    expect(applied.status, applied.stderr + applied.stdout).toBe(0);
    expect(arm.writes().map((w) => `${w.method} ${w.path}`).sort()).toEqual(saved.plan.items.filter((i) => i.action === "create").map((i) => `PUT ${i.id}`).sort());
    expect(assignment(`/subscriptions/${SUB2}/resourceGroups/rg-c`, "registries")?.properties.parameters).toEqual({ allowedRegistries: { value: ["myacr.azurecr.io"] } });
    const again = await azpol("deploy", "--dry-run", "--detailed-exitcode", "--env", "prod");
    expect(again.status, again.stdout).toBe(0);
    // a second saved plan, then someone changes an assignment at one of its scopes: refused, nothing written
    writeFileSync(join(project, "assignments", "trusted.yaml"), TRUSTED.replace("effect: Audit", "effect: Deny"));
    const second = await azpol("deploy", "--dry-run", "--out", plan, "--env", "prod");
    expect(second.status, second.stderr).toBe(0);
    const other = assignment(`/subscriptions/${SUB}/resourceGroups/rg-b`, "trusted-images");
    if (other) other.properties.description = "changed by someone else";
    arm.requests.length = 0;
    const stale = await azpol("deploy", "--plan", plan, "--yes");
    expect(stale.status).toBe(1);
    expect(stale.stderr).toMatch(/Azure changed since .*estate-plan\.json was made .*assignment trusted-images.*nothing was applied/);
    expect(arm.writes()).toEqual([]);
  });

  it("--env picks values; flags override them for one run, and the plan says so; --scope narrows to the scopes below it", async () => {
    expect((await azpol("deploy", "--yes", "--env", "prod")).status).toBe(0);
    const dev = await azpol("deploy", "--dry-run", "--env", "dev");
    expect(dev.stdout).toMatch(/~ update +assignment registries\n {6}value +in Azure +desired\n {6}parameters\.allowedRegistries +\["myacr\.azurecr\.io"\] +\["myacr\.azurecr\.io","dev\.azurecr\.io"\]\n {6}enforcementMode +"Default" +"DoNotEnforce"/);
    const flagged = await azpol("deploy", "--dry-run", "--env", "prod", "--param", "effect=Deny", "--enforcement-mode", "DoNotEnforce", "--scope", `/subscriptions/${SUB}/resourceGroups/rg-b`);
    expect(flagged.status, flagged.stderr).toBe(0);
    expect(flagged.stdout).toContain(`Plan for /subscriptions/${SUB}/resourceGroups/rg-b: the estate, assignments at 1 scope(s)`);
    expect(flagged.stdout).toMatch(/parameters\.effect +"Audit" +"Deny" +\(--param, this run only\)/);
    expect(flagged.stdout).toMatch(/enforcementMode +"Default" +"DoNotEnforce" +\(--enforcement-mode, this run only\)/);
    expect(flagged.stdout).not.toContain("assignment registries");
    // an assignment listing environments is not made in another one, and the run says so
    const staging = await azpol("deploy", "--dry-run", "--env", "staging");
    expect(staging.stderr).toContain("excluded: assignments/platform/registries.yaml lists environments, not 'staging'");
  });

  it("an invalid source stops the run before any request, at file:line:col; validate reports the same", async () => {
    writeFileSync(join(project, "assignments", "trusted.yaml"), TRUSTED.replace("effect: Audit", "effect: Sometimes").replace(`[/subscriptions/${SUB}/resourceGroups/rg-b]`, "[rg-b]"));
    const run = await azpol("deploy", "--dry-run");
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/assignments\/trusted\.yaml:4:10 error AZP2403 \/scopes\/0: scope "rg-b" is a bare name; .* write \/subscriptions\/<id>\/resourceGroups\/rg-b/);
    expect(run.stderr).toMatch(/assignments\/trusted\.yaml:6:11 error AZP2402 \/parameters\/effect: "Sometimes" is not allowed for 'effect'/);
    expect(arm.requests).toEqual([]);
    const validate = await azpol("validate");
    expect(validate.status).toBe(1);
    expect(validate.stderr).toMatch(/assignments\/trusted\.yaml:6:11 error AZP2402/);
  });

  it("new --assignment scaffolds a source that validates; import of an assignment by id writes the source that makes it again", async () => {
    const scaffold = await azpol("new", "--assignment", "gcr-frozen", "--assign", "k8s-gcr-deprecation", "--scope", `/subscriptions/${SUB}/resourceGroups/rg-a`, "--json");
    expect(scaffold.status, scaffold.stderr).toBe(0);
    expect(matchesCliSchema("new", JSON.parse(scaffold.stdout))).toBe(true);
    const text = readFileSync(join(project, "assignments", "gcr-frozen.yaml"), "utf8");
    expect(parse(text)).toMatchObject({ name: "gcr-frozen", definition: "k8s-gcr-deprecation", scopes: [`/subscriptions/${SUB}/resourceGroups/rg-a`], enforcementMode: "Default" });
    expect(text).toMatch(/\n {2}# effect: "Deny" {4}\(the default; one of \[/);
    expect((await azpol("validate")).status).toBe(0);
    expect((await azpol("new", "--assignment", "x", "--assign", "nothing", "--scope", "mg:platform")).stderr).toMatch(/no definition or initiative named 'nothing'/);
    expect((await azpol("new", "--assignment", "y", "--assign", "allowed-registries", "--scope", "rg-a")).stderr).toMatch(/is a bare name/);

    expect((await azpol("deploy", "--yes", "--env", "dev")).status).toBe(0);
    const id = `/subscriptions/${SUB2}/resourceGroups/rg-c/providers/Microsoft.Authorization/policyAssignments/registries`;
    const imported = await azpol("import", id, "--dir", "imported", "--json");
    expect(imported.status, imported.stderr).toBe(0);
    expect(matchesCliSchema("import", JSON.parse(imported.stdout))).toBe(true);
    const source = parse(readFileSync(join(project, "imported", "registries.yaml"), "utf8")) as Record<string, unknown>;
    expect(typeof source.displayName).toBe("string");
    expect(typeof source.description).toBe("string");
    expect({ ...source, displayName: undefined, description: undefined }).toEqual({
      name: "registries",
      displayName: undefined,
      description: undefined,
      definition: "allowed-registries",
      scopes: [`/subscriptions/${SUB2}/resourceGroups/rg-c`],
      enforcementMode: "DoNotEnforce",
      parameters: { allowedRegistries: ["myacr.azurecr.io", "dev.azurecr.io"] },
      nonComplianceMessages: [{ message: "pull images from myacr.azurecr.io" }],
    });
    // the imported source, in place of the original, plans nothing for that scope
    rmSync(join(project, "assignments"), { recursive: true });
    mkdirSync(join(project, "assignments"));
    cpSync(join(project, "imported", "registries.yaml"), join(project, "assignments", "registries.yaml"));
    const plan = await azpol("deploy", "--dry-run", "--detailed-exitcode", "--scope", `/subscriptions/${SUB2}`);
    expect(plan.status, plan.stdout + plan.stderr).toBe(0);
  });
});
