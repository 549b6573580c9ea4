// `azpol deploy` carries Mutate definitions (details.mutationInfo) like any other definition: made
// at the definitions' location with the mutator Base64-encoded as built, assigned on their own at
// the scope (or by an assignment source in the estate), and an unchanged re-run writes nothing.
// The built CLI, its real DefaultAzureCredential (a fake `az` on PATH) and the real PolicyClient,
// against the HTTPS fake ARM on 127.0.0.1 (test/fake-arm/SPEC.md).
import { chmodSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, expect, it } from "vitest";
import { FakeArm } from "../fake-arm/server.js";
import { azpolAsync } from "../support/cli.js";

const SUB = "00000000-0000-0000-0000-0000000000ab";
const root = join(import.meta.dirname, "..", "..");
const work = mkdtempSync(join(tmpdir(), "azpol-mutation-deploy-"));
const arm = new FakeArm({ subscriptions: [SUB], resourceGroups: { [SUB]: ["rg-demo", "rg-other"] } });
const bin = join(work, "bin");
const project = join(work, "project");
const RULES = `/subscriptions/${SUB}/providers/Microsoft.Authorization/policyDefinitions`;

beforeAll(async () => {
  await arm.start();
  mkdirSync(bin);
  writeFileSync(join(bin, "az"), `#!/bin/sh\nprintf '{"accessToken":"t","expires_on":%s,"expiresOn":"2099-01-01 00:00:00.000000","subscription":"${SUB}","tenant":"t","tokenType":"Bearer"}' $(( $(date +%s) + 3600 ))\n`);
  chmodSync(join(bin, "az"), 0o755);
  mkdirSync(join(work, "azure"));
  writeFileSync(join(work, "azure", "azureProfile.json"), JSON.stringify({ subscriptions: [{ id: SUB, name: "Dev", isDefault: true, state: "Enabled" }] }));
  writeFileSync(join(work, "ca.pem"), arm.cert);
  cpSync(join(root, "definitions", "k8s-gcr-deprecation"), join(project, "definitions", "k8s-gcr-deprecation"), { recursive: true });
  cpSync(join(root, "constraint-templates"), join(project, "constraint-templates"), { recursive: true });
  mkdirSync(join(project, "definitions", "move-images"));
  writeFileSync(
    join(project, "definitions", "move-images", "mutation.yaml"),
    "apiVersion: mutations.gatekeeper.sh/v1alpha1\nkind: AssignImage\nmetadata: {name: move-images}\nspec:\n  applyTo: [{groups: [''], kinds: [Pod], versions: [v1]}]\n  location: 'spec.containers[name:*].image'\n  parameters: {assignDomain: registry.k8s.io}\n",
  );
  writeFileSync(join(project, "definitions", "move-images", "definition.yaml"), "name: move-images\ndisplayName: Move images\ndescription: Moves every image to registry.k8s.io.\ntemplate:\n  path: mutation.yaml\n  source: Base64Encoded\n");
  const built = await azpolAsync(["build", "--out", join(work, "out")], { cwd: project });
  expect(built.status, built.stderr).toBe(0);
});
afterAll(async () => {
  await arm.stop();
  rmSync(work, { recursive: true, force: true });
});
beforeEach(() => arm.reset());

function env(): NodeJS.ProcessEnv {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("AZURE_") && !k.startsWith("AZPOL_")));
  return { ...clean, PATH: `${bin}:${process.env.PATH ?? ""}`, AZURE_TOKEN_CREDENTIALS: "AzureCliCredential", AZURE_CONFIG_DIR: join(work, "azure"), AZPOL_ARM_ENDPOINT: arm.endpoint, AZPOL_ARM_CA_FILE: join(work, "ca.pem"), AZPOL_RETRY_DELAY_MS: "5" };
}
const built = (name: string) => JSON.parse(readFileSync(join(work, "out", name, "policy.json"), "utf8")) as { properties: Record<string, unknown> };

it("creates the Mutate definition as built and assigns it, and a re-run writes nothing", async () => {
  const run = await azpolAsync(["deploy", "--scope", "rg-demo", "--yes"], { cwd: project, env: env() });
  expect(run.status, run.stderr).toBe(0);
  expect(run.stdout).toContain("created definition move-images");
  expect(run.stdout).toContain("Plan: 4 to create, 0 to update, 0 unchanged, 0 blocked.");
  const stored = arm.get(`${RULES}/move-images`)?.properties as Record<string, unknown>;
  expect(stored).toMatchObject(built("move-images").properties);
  const details = ((stored.policyRule as { then: { details: Record<string, unknown> } }).then.details);
  expect(details.mutationInfo).toMatchObject({ sourceType: "Base64Encoded" });
  expect(arm.all("policyAssignments").map((a) => (a.properties as { policyDefinitionId: string }).policyDefinitionId).sort()).toEqual([`${RULES}/k8s-gcr-deprecation`, `${RULES}/move-images`]);
  const before = arm.writes().length;
  const again = await azpolAsync(["deploy", "--scope", "rg-demo", "--yes"], { cwd: project, env: env() });
  expect(again.status, again.stderr).toBe(0);
  expect(again.stdout).toContain("Plan: 0 to create, 0 to update, 4 unchanged, 0 blocked.");
  expect(arm.writes().slice(before)).toEqual([]);
});

it("an assignment source can assign a Mutate definition in the estate", async () => {
  const estate = join(work, "estate");
  cpSync(project, estate, { recursive: true });
  mkdirSync(join(estate, "assignments"));
  writeFileSync(join(estate, "assignments", "move-images.yaml"), `name: move-images\ndefinition: move-images\nscopes: [/subscriptions/${SUB}/resourceGroups/rg-other]\n`);
  const valid = await azpolAsync(["validate"], { cwd: estate });
  expect(valid.status, valid.stdout + valid.stderr).toBe(0);
  const run = await azpolAsync(["deploy", "--yes"], { cwd: estate, env: env() });
  expect(run.status, run.stdout + run.stderr).toBe(0);
  expect(arm.get(`${RULES}/move-images`)?.properties).toMatchObject(built("move-images").properties);
  expect(arm.all("policyAssignments").map((a) => a.id)).toEqual([`/subscriptions/${SUB}/resourceGroups/rg-other/providers/Microsoft.Authorization/policyAssignments/move-images`]);
});

it("a changed mutator is planned as a diff of its decoded YAML, not two Base64 strings", async () => {
  const changed = join(work, "changed");
  cpSync(project, changed, { recursive: true });
  const deployIn = (cwd: string, extra: string[]) => azpolAsync(["deploy", "--scope", "rg-demo", ...extra], { cwd, env: env() });
  expect((await deployIn(changed, ["--yes"])).status).toBe(0);
  const file = join(changed, "definitions", "move-images", "mutation.yaml");
  writeFileSync(file, readFileSync(file, "utf8").replace("assignDomain: registry.k8s.io", "assignDomain: myregistry.azurecr.io"));
  const dry = await deployIn(changed, ["--dry-run"]);
  expect(dry.status, dry.stderr).toBe(0);
  expect(dry.stdout).toContain("~ update    definition move-images");
  expect(dry.stdout).toMatch(/^\s*-\s+parameters: \{assignDomain: registry\.k8s\.io\}$/m);
  expect(dry.stdout).toMatch(/^\s*\+\s+parameters: \{assignDomain: myregistry\.azurecr\.io\}$/m);
  expect(dry.stdout).not.toMatch(/mutationInfo\.content\s+"[A-Za-z0-9+/=]{40,}/);
});
