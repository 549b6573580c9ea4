// The reach cache (src/pipeline/reach-cache.ts): an answer is reused only for the same template
// code, kinds, parameters, expansion and engine choice; the assignment's namespace scope (which
// the probes lift) does not split it; names come from the asking definition; a corrupt entry is a miss.
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, it } from "vitest";
import { buildSources } from "../src/pipeline/read-sources.js";
import { readAnywhere } from "../src/io/project-boundary.js";
import { ReachCache } from "../src/pipeline/reach-cache.js";
import { constraintFromPolicy } from "../src/rego/constraint.js";
import type { Reach } from "../src/probe/reach.js";

const root = join(import.meta.dirname, "..");
const dir = mkdtempSync(join(tmpdir(), "azpol-reach-cache-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const built = buildSources([join(root, "definitions")], [], [], readAnywhere());
const model = built.models[0];
if (!model) throw new Error("no shipped definition");
const constraint = constraintFromPolicy(model);
if (!constraint) throw new Error("no constraint");
const policy = { template: model.template, constraint, definition: model.name };
const reach: Reach = { definition: model.name, template: model.template.name, probed: true, deniedImage: "k8s.gcr.io/pause:3.9", kinds: ["Pod"], gaps: [{ kind: "Pod", field: "ephemeralContainers", fixedBySourceAll: false }] };

it("reuses an answer only for what decides it", () => {
  const cache = new ReachCache(join(dir, "a"));
  expect(cache.get(policy, "auto")).toBeUndefined();
  cache.set(policy, "auto", reach);
  expect(cache.get(policy, "auto")).toEqual(reach);
  // the same bytes in --json as the probe's own answer: same keys, same order
  expect(JSON.stringify(cache.get(policy, "auto"))).toBe(JSON.stringify(reach));
  expect(cache.get({ ...policy, definition: "other" }, "auto")).toEqual({ ...reach, definition: "other" });
  expect(cache.get(policy, "rego")).toBeUndefined();
  const withMatch = (match: object) => ({ ...policy, constraint: { ...constraint, match: { ...constraint.match, ...match } } });
  expect(cache.get(withMatch({ excludedNamespaces: ["elsewhere"], namespaces: ["shop"] }), "auto")).toEqual(reach);
  expect(cache.get(withMatch({ kinds: [{ apiGroups: [""], kinds: ["Pod"] }] }), "auto")).toBeUndefined();
  expect(cache.get(withMatch({ source: "All" }), "auto")).toBeUndefined();
  expect(cache.get({ ...policy, constraint: { ...constraint, parameters: { other: ["x"] } } }, "auto")).toBeUndefined();
  expect(cache.get({ ...policy, template: { ...policy.template, rego: `${policy.template.rego ?? ""}\n# changed` } }, "auto")).toBeUndefined();
});

it("a corrupt entry is a miss", () => {
  const cache = new ReachCache(join(dir, "b"));
  cache.set(policy, "auto", reach);
  const [entry] = readdirSync(join(dir, "b"));
  writeFileSync(join(dir, "b", entry as string), "{not json");
  expect(cache.get(policy, "auto")).toBeUndefined();
  writeFileSync(join(dir, "b", entry as string), JSON.stringify({ probed: "yes" }));
  expect(cache.get(policy, "auto")).toBeUndefined();
});
