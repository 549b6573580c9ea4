// `azpol test` with a Mutate definition: the CLI shows each object after mutation, and the
// validating definitions judge the mutated object, as admission runs mutation before validation.
// An AssignImage moving images to registry.k8s.io turns a k8s.gcr.io Pod the deny preset blocks
// into one it lets through; impact judges the mutated object the same way.
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, it } from "vitest";
import { azpolAsync } from "../support/cli.js";

const root = join(import.meta.dirname, "..", "..");
const work = mkdtempSync(join(tmpdir(), "azpol-mutation-e2e-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));
cpSync(join(root, "definitions", "k8s-gcr-deprecation"), join(work, "definitions", "k8s-gcr-deprecation"), { recursive: true });
cpSync(join(root, "constraint-templates"), join(work, "constraint-templates"), { recursive: true });
mkdirSync(join(work, "definitions", "move-images"));
writeFileSync(
  join(work, "definitions", "move-images", "mutation.yaml"),
  "apiVersion: mutations.gatekeeper.sh/v1alpha1\nkind: AssignImage\nmetadata: {name: move-images}\nspec:\n  applyTo: [{groups: [''], kinds: [Pod], versions: [v1]}]\n  location: 'spec.containers[name:*].image'\n  parameters: {assignDomain: registry.k8s.io}\n",
);
writeFileSync(join(work, "definitions", "move-images", "definition.yaml"), "name: move-images\ndisplayName: Move images\ndescription: Moves every image to registry.k8s.io.\ntemplate:\n  path: mutation.yaml\n  source: Base64Encoded\n");
const manifest = join(work, "pod.yaml");
writeFileSync(manifest, "apiVersion: v1\nkind: Pod\nmetadata: {name: web, namespace: prod}\nspec:\n  containers: [{name: c, image: k8s.gcr.io/pause:3.9}]\n");
const run = (extra: string[]) => azpolAsync(["test", manifest, "--definitions", "definitions", ...extra], { cwd: work });

it("shows the object after mutation, and validation judges the mutated object", async () => {
  const r = await run([]);
  expect(r.stdout).toMatch(/v1 Pod prod\/web: ok\n {2}mutated by move-images \(\/spec\/containers\/0\/image\); after mutation:\n(.*\n)*? +- image: registry\.k8s\.io\/pause:3\.9/);
  expect(r.stdout).toMatch(/1 object read: 1 checked against 1 policy \(0 with violations, 1 ok\); 1 mutated by 1 Mutate definition/);
  expect(r.status).toBe(0);
});

it("without the Mutate definition, the deny preset blocks the same Pod", async () => {
  const r = await azpolAsync(["test", manifest, "--definitions", "definitions/k8s-gcr-deprecation"], { cwd: work });
  expect(r.stdout).toMatch(/deny {3}azurepolicy-k8s-gcr-deprecation/);
  expect(r.status).toBe(1);
});

it("--json carries the mutated object", async () => {
  const r = await run(["--json"]);
  const out = JSON.parse(r.stdout) as { objects: { mutated?: { by: string[]; object: { spec: { containers: { image: string }[] } } } }[] };
  const mutated = out.objects[0]?.mutated;
  expect(mutated?.by).toEqual(["move-images"]);
  expect(mutated?.object.spec.containers[0]?.image).toBe("registry.k8s.io/pause:3.9");
});

it("impact gives the same verdict as test: the Pod the mutation moves would not be denied (and would be without it)", async () => {
  const input = readFileSync(manifest, "utf8");
  const r = await azpolAsync(["impact", "-", "--definitions", "definitions", "--json"], { cwd: work, input });
  expect(r.status, r.stderr).toBe(0);
  const out = JSON.parse(r.stdout) as { objectsRead: number; denied: unknown[]; problems: string[] };
  expect(out).toMatchObject({ objectsRead: 1, denied: [], problems: [] });
  const unmutated = await azpolAsync(["impact", "-", "--definitions", "definitions/k8s-gcr-deprecation", "--json"], { cwd: work, input });
  expect(unmutated.status).toBe(1);
  expect((JSON.parse(unmutated.stdout) as { denied: unknown[] }).denied).toHaveLength(1);
});
