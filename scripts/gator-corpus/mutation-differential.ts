// Mutation against the real gator: every mutator of the corpus below applied to every Pod spec,
// once by azpol's engine (the mutate op: the Pod itself) and once by `gator expand` (the Pod a
// Deployment with that spec generates, mutated as Generated, which is how gator shows a mutation).
// The mutated spec, labels and annotations must be equal. The mutators match source All (their
// default), so both paths apply them.
import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { stringify } from "yaml";
import type { RegoEngine } from "../../src/rego/engine-port.js";

const POD = [{ groups: [""], kinds: ["Pod"], versions: ["v1"] }];
const m = (kind: string, name: string, spec: Record<string, unknown>) => ({ apiVersion: `mutations.gatekeeper.sh/${kind === "AssignImage" ? "v1alpha1" : "v1"}`, kind, metadata: { name }, spec });

/** One mutator of every kind and the shapes their parameters take. */
export const MUTATORS = [
  m("ModifySet", "drop-all", { applyTo: POD, location: "spec.containers[name:*].securityContext.capabilities.drop", parameters: { operation: "merge", values: { fromList: ["ALL"] } } }),
  m("ModifySet", "prune-net-raw", { applyTo: POD, location: "spec.containers[name:*].securityContext.capabilities.drop", parameters: { operation: "prune", values: { fromList: ["NET_RAW"] } } }),
  m("ModifySet", "init-args", { applyTo: POD, location: "spec.initContainers[name:*].args", parameters: { operation: "merge", values: { fromList: ["--verbose"] } } }),
  // no operation: Gatekeeper refuses it while mutating, in both
  m("ModifySet", "no-operation", { applyTo: POD, location: "spec.initContainers[name:*].args", parameters: { values: { fromList: ["--verbose"] } } }),
  m("Assign", "pull-always", { applyTo: POD, location: "spec.containers[name:*].imagePullPolicy", parameters: { assign: { value: "Always" } } }),
  m("Assign", "pull-named", { applyTo: POD, location: "spec.containers[name:b].imagePullPolicy", parameters: { assign: { value: "Never" } } }),
  m("Assign", "non-root-if-unset", { applyTo: POD, location: "spec.securityContext.runAsNonRoot", parameters: { pathTests: [{ subPath: "spec.securityContext.runAsNonRoot", condition: "MustNotExist" }], assign: { value: true } } }),
  m("Assign", "limits-if-resources", { applyTo: POD, location: "spec.containers[name:*].resources.limits.memory", parameters: { pathTests: [{ subPath: "spec.containers[name:*].resources", condition: "MustExist" }], assign: { value: "512Mi" } } }),
  m("Assign", "tolerations", { applyTo: POD, location: "spec.tolerations", parameters: { assign: { value: [{ key: "pool", operator: "Equal", value: "user", effect: "NoSchedule" }] } } }),
  m("AssignMetadata", "owner-label", { location: "metadata.labels.owner", parameters: { assign: { value: "platform" } } }),
  m("AssignMetadata", "note-annotation", { location: 'metadata.annotations."azpol/note"', parameters: { assign: { value: "mutated" } } }),
  // Assign cannot change metadata: refused when the mutator is read, in both
  m("Assign", "on-metadata", { applyTo: POD, location: "metadata.labels.x", parameters: { assign: { value: "y" } } }),
  m("AssignImage", "domain", { applyTo: POD, location: "spec.containers[name:*].image", parameters: { assignDomain: "registry.k8s.io" } }),
  m("AssignImage", "path-and-tag", { applyTo: POD, location: "spec.initContainers[name:*].image", parameters: { assignPath: "mirror/base", assignTag: ":1.0" } }),
  m("AssignImage", "tag-named", { applyTo: POD, location: "spec.containers[name:a].image", parameters: { assignTag: "@sha256:0000000000000000000000000000000000000000000000000000000000000000" } }),
];

/** Pod specs with what the mutators look at present, absent and in between. */
export const SPECS: Record<string, unknown>[] = [
  { containers: [{ name: "a", image: "nginx" }, { name: "b", image: "k8s.gcr.io/pause:3.9", imagePullPolicy: "IfNotPresent", securityContext: { capabilities: { drop: ["NET_RAW"] } } }] },
  { securityContext: { runAsNonRoot: false }, initContainers: [{ name: "init", image: "docker.io/library/busybox:1.36", args: ["-c"] }], containers: [{ name: "a", image: "k8s.gcr.io/pause@sha256:1111111111111111111111111111111111111111111111111111111111111111", resources: { requests: { cpu: "1" } } }] },
  { containers: [{ name: "b", image: "localhost:5000/team/app:1.2", securityContext: { capabilities: { drop: ["NET_RAW", "ALL"] } } }], tolerations: [{ key: "x", operator: "Exists" }] },
];

const EXPANSION = { apiVersion: "expansion.gatekeeper.sh/v1alpha1", kind: "ExpansionTemplate", metadata: { name: "expand-deployments" }, spec: { applyTo: [{ groups: ["apps"], kinds: ["Deployment"], versions: ["v1"] }], templateSource: "spec.template", generatedGVK: { kind: "Pod", group: "", version: "v1" } } };
const LABELS = { app: "web" };

/** JSON with sorted keys: Go writes maps sorted, a YAML-read spec keeps its own order */
function canonical(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(canonical);
  if (v === null || typeof v !== "object") return v;
  return Object.fromEntries(Object.keys(v).sort().map((k) => [k, canonical((v as Record<string, unknown>)[k])]));
}

function comparable(o: Record<string, unknown> | undefined) {
  const meta = (o?.metadata ?? {}) as Record<string, unknown>;
  return JSON.stringify(canonical({ spec: o?.spec, labels: meta.labels, annotations: meta.annotations }));
}

export async function checkMutationCorpus(gator: string, engine: RegoEngine, dir: string, check: (ok: boolean, what: string, detail?: string) => void): Promise<{ compared: number; changed: number; refused: number }> {
  let compared = 0;
  let changed = 0;
  let refused = 0;
  for (const mutator of MUTATORS) {
    for (const [i, spec] of SPECS.entries()) {
      const caseDir = join(dir, `${mutator.metadata.name}-${i}`);
      mkdirSync(caseDir, { recursive: true });
      const deployment = { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "web", namespace: "default" }, spec: { selector: { matchLabels: LABELS }, template: { metadata: { labels: LABELS }, spec } } };
      writeFileSync(join(caseDir, "all.yaml"), [mutator, EXPANSION, deployment].map((o) => stringify(o)).join("---\n"));
      const run = spawnSync(gator, ["expand", "-n", caseDir, "-f", "json"], { encoding: "utf8" });
      const theirs = run.status === 0 ? (JSON.parse(run.stdout) as Record<string, unknown>) : undefined;
      const pod = { apiVersion: "v1", kind: "Pod", metadata: { name: "web-pod", namespace: "default", labels: LABELS }, spec: structuredClone(spec) };
      const ours = await engine.mutate({ mutators: [mutator], object: pod });
      const what = `mutation ${mutator.kind} ${mutator.metadata.name} on spec ${i}`;
      if (!theirs && "error" in ours) {
        // both refuse: Gatekeeper's own error, the same words through either path
        refused++;
        const reason = (e: string) => e.replace(/^.*?(mutation|invalid|assign)/, "$1").replace(/mutation [0-9a-f-]{36}/, "mutation <id>");
        check(reason(run.stderr).trim() === reason(ours.error).trim(), `${what} (refused)`, `gator: ${run.stderr.trim()}\n  azpol: ${ours.error}`);
        continue;
      }
      if (!theirs || "error" in ours) {
        check(false, what, `gator: ${run.stderr.trim() || "no output"}; azpol: ${"error" in ours ? ours.error : "ok"}`);
        continue;
      }
      compared++;
      if (comparable(ours.object) !== comparable({ metadata: { labels: LABELS }, spec })) changed++;
      check(comparable(ours.object) === comparable(theirs), what, `gator: ${comparable(theirs)}\n  azpol: ${comparable(ours.object)}`);
    }
  }
  return { compared, changed, refused };
}
