// The Namespace pass and the checking pass of `azpol test` read a file through one reader: kubectl's
// reader (the engine) sees a small file once, and a file past the kept bound twice rather than
// held in memory. checkManifests is run for real (engine, templates) with a reader that counts.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkManifests } from "../src/manifest-check/check-manifests.js";
import { readOnceReader } from "../src/manifest-check/read-once.js";
import type { EngineManifestRead, RegoEngine } from "../src/rego/engine-port.js";
import { loadEngine } from "../src/rego/engine.js";
import { TemplateCache } from "../src/rego/template-cache.js";

const read = (text: string): EngineManifestRead => ({ objects: [{ document: 0, line: 1, object: { text } }], problems: [] });

function countingReader() {
  const calls: string[] = [];
  return { calls, readManifests: (text: string) => (calls.push(text), Promise.resolve(read(text))) };
}

describe("readOnceReader", () => {
  it("hands the second reading of a text the first one's answer, once", async () => {
    const inner = countingReader();
    const reader = readOnceReader(inner);
    const first = await reader.readManifests("a: 1");
    const second = await reader.readManifests("a: 1");
    await reader.readManifests("a: 1");
    expect(second).toBe(first);
    expect(inner.calls).toEqual(["a: 1", "a: 1"]);
  });

  it("reads again a text past the bound, and one read with other options", async () => {
    const inner = countingReader();
    const reader = readOnceReader(inner, 5);
    await reader.readManifests("123456");
    await reader.readManifests("123456");
    await reader.readManifests("1234");
    await reader.readManifests("1234", { forceYAML: true });
    expect(inner.calls).toEqual(["123456", "123456", "1234", "1234"]);
  });
});

describe("checkManifests reads a file that defines a Namespace once", () => {
  const dir = mkdtempSync(join(tmpdir(), "azpol-read-once-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  let engine: RegoEngine;
  beforeAll(async () => {
    engine = await loadEngine();
  });

  it("kubectl's reader sees the file once, and the Namespace still reaches the namespaceSelector", async () => {
    const file = join(dir, "service.yaml");
    writeFileSync(file, ["apiVersion: v1", "kind: Namespace", "metadata: {name: shop, labels: {team: a}}", "---", "apiVersion: v1", "kind: Pod", "metadata: {name: web, namespace: shop}", "spec: {containers: [{name: c, image: k8s.gcr.io/pause:3.9}]}", ""].join("\n"));
    let reads = 0;
    const counted: RegoEngine = { ...engine, readManifests: (text, options) => (reads++, engine.readManifests(text, options)) };
    const cache = new TemplateCache(counted);
    const template = {
      name: "k8sdenyall",
      kind: "K8sDenyAll",
      rego: 'package k8sdenyall\nviolation[{"msg": "denied"}] { true }',
      libs: [],
      schema: {},
      object: {},
    } as unknown as Parameters<TemplateCache["get"]>[0];
    const constraint = { kind: "K8sDenyAll", name: "deny-team-a", match: { kinds: [{ apiGroups: [""], kinds: ["Pod"] }], namespaceSelector: { matchLabels: { team: "a" } } }, parameters: {}, enforcementAction: "deny" };
    const reports: string[] = [];
    const check = await checkManifests(cache, [{ template, constraint }], [{ path: file, shown: "service.yaml" }], { report: (r) => reports.push(`${r.object}: ${r.verdict}`) });
    expect(reads).toBe(1);
    expect(check.objects).toBe(2);
    expect(check.violating).toBe(1); // the Pod: its Namespace's labels were read in the first pass
    expect(reports).toContain("v1 Pod shop/web: violations");
  });
});
