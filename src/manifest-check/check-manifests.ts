// `azpol test <manifests>`: reads each file run by run with kubectl's reader, checks every
// object against the policies, reports each object, and forgets it, so 150,000 Pods in one
// file use the memory of one run. Namespace objects in the input are the namespaces a
// namespaceSelector sees; when a file defines any, a first pass collects them.
import { maxManifestBytes, readInputBytes } from "../io/read-input.js";
import { objectLocation, visitManifests, type ManifestObject, type ManifestProblem, type ManifestSource } from "../io/manifests.js";
import { reviewObjectsWithExclusions, type Exclusion, type Policy, type Violation } from "../rego/evaluate.js";
import type { TemplateCache } from "../rego/template-cache.js";
import { judgeObject, type Verdict } from "./object-verdict.js";
import { groupVersionKind, type KubeObject } from "../rego/kubernetes-object.js";
import { readOnceReader } from "./read-once.js";
import type { ManifestReader } from "../io/manifests.js";

export interface ObjectReport {
  /** the file as shown, and the line where the object's document starts */
  file: string;
  line: number;
  location: string;
  object: string;
  verdict: Verdict;
  /** why a "not checked", "rejected" or "undecided" object was not judged */
  reason?: string;
  violations: Violation[];
  /** constraints that cover the object's kind but left it out, and why */
  excluded: Exclusion[];
  /** what the Mutate definitions changed before validation (the verdict is the mutated object's) */
  mutated?: { by: string[]; changes: string[]; object: Record<string, unknown> };
  /** why the Mutate definitions could not be applied (the verdict is then the object as written) */
  mutationError?: string;
}

/** Applies the Mutate definitions to one object (src/rego/mutate.ts), as admission does before validation. */
export type Mutate = (object: Record<string, unknown>, namespace: KubeObject | undefined) => Promise<{ object: Record<string, unknown>; by: string[]; changes: string[] } | undefined | { error: string }>;

export interface ManifestCheck {
  objects: number;
  violating: number;
  /** objects no constraint judged because the match left them out (and that have no violations) */
  excluded: number;
  excludedReasons: string[];
  /** objects of a kind no constraint covers */
  notChecked: number;
  /** objects the API server would refuse before admission */
  rejected: number;
  /** objects Gatekeeper's webhook would not decide in time (the cluster admits them undecided) */
  undecided: number;
  problems: ManifestProblem[];
}

export interface CheckListener {
  report(r: ObjectReport): void;
  /** called about every chunk; the caller decides when progress is worth printing */
  progress?(done: { objects: number; file: number; files: number; bytes: number; totalBytes: number }): void;
  /** the engine cannot say what the API server rejects (the wasm build); said once, never pretended */
  strictUnavailable?(reason: string): void;
  /** the Mutate definitions, applied to each object before it is judged */
  mutate?: Mutate;
}

// Any mention of the word: block, flow and JSON styles alike (a missed Namespace would lose
// the labels a namespaceSelector matches on); a false positive costs only a second read.
const DEFINES_NAMESPACE = /\bNamespace\b/;

// An object with only generateName gets its name from the API server: names.SimpleNameGenerator
// (k8s.io/apiserver pkg/storage/names/generate.go) appends 5 random lowercase alphanumerics to the
// prefix cut to 58 characters, and `kubectl create` prints that generated name
// ("pod/web-x7k2p created"). The suffix cannot be known before the request, so it is shown as
// "#####" in its place: the name's shape as kubectl would print it, never a made-up name.
const GENERATED_SUFFIX = "#####";
const MAX_PREFIX = 63 - GENERATED_SUFFIX.length;

export function objectName(metadata: KubeObject["metadata"]): string {
  if (typeof metadata?.name === "string" && metadata.name !== "") return metadata.name;
  const prefix = metadata?.generateName;
  return typeof prefix === "string" && prefix !== "" ? `${prefix.slice(0, MAX_PREFIX)}${GENERATED_SUFFIX}` : "<unnamed>";
}

export function describeObject(o: ManifestObject): string {
  const gvk = groupVersionKind(o.object);
  const ns = o.object.metadata?.namespace;
  const name = objectName(o.object.metadata);
  return `${gvk.group ? `${gvk.group}/` : ""}${gvk.version} ${gvk.kind} ${ns ? `${ns}/` : ""}${name}`;
}

async function collectNamespaces(reader: ManifestReader, files: { path: ManifestSource; shown: string }[]): Promise<Map<string, KubeObject>> {
  const index = new Map<string, KubeObject>();
  for (const f of files) {
    const read = typeof f.path === "string" ? readInputBytes(f.path, maxManifestBytes()) : { bytes: Buffer.from(f.path.text) };
    if ("error" in read || !DEFINES_NAMESPACE.test(read.bytes.toString("latin1"))) continue; // the second pass reports an unreadable file
    await visitManifests(reader, f.path, f.shown, (objects) => {
      for (const o of objects) {
        const { group, kind } = groupVersionKind(o.object);
        if (group === "" && kind === "Namespace" && typeof o.object.metadata?.name === "string") index.set(o.object.metadata.name, o.object);
      }
      return Promise.resolve();
    });
  }
  return index;
}

/** `files`: paths (or "-"), or rendered text such as a kustomization's (`test -k`). */
export async function checkManifests(cache: TemplateCache, policies: Policy[], files: { path: ManifestSource; shown: string }[], listener: CheckListener): Promise<ManifestCheck> {
  // a file that defines a Namespace is read by the first pass and checked by the second: read once
  const reader = readOnceReader(cache.engine);
  const namespaces = await collectNamespaces(reader, files);
  const result: ManifestCheck = { objects: 0, violating: 0, excluded: 0, excludedReasons: [], notChecked: 0, rejected: 0, undecided: 0, problems: [] };
  const reasons = new Set<string>();
  let strictSaid = false;
  for (const [i, f] of files.entries()) {
    const read = await visitManifests(reader, f.path, f.shown, async (objects, at) => {
      // What the API server refuses never reaches admission: such objects are not judged.
      const strict = await cache.engine.strictValidate(objects.map((o) => o.object));
      if ("error" in strict && !strictSaid) {
        strictSaid = true;
        listener.strictUnavailable?.(strict.error);
      }
      const rejections = Array.isArray(strict) ? strict : [];
      const judged = objects.filter((_, n) => !rejections[n]?.length);
      // mutating admission runs before validating admission: the constraints see the mutated object
      const mutations = new Map<ManifestObject, Awaited<ReturnType<Mutate>>>();
      if (listener.mutate) {
        for (const o of judged) {
          const ns = typeof o.object.metadata?.namespace === "string" ? namespaces.get(o.object.metadata.namespace) : undefined;
          mutations.set(o, await listener.mutate(o.object, ns));
        }
      }
      const mutatedObject = (o: ManifestObject): KubeObject => {
        const m = mutations.get(o);
        return m && !("error" in m) ? (m.object) : o.object;
      };
      const judgedReviews = await reviewObjectsWithExclusions(
        cache,
        policies,
        judged.map(mutatedObject),
        { namespaces },
      );
      const reviews = new Map(judged.map((o, n) => [o, judgedReviews[n]]));
      objects.forEach((o, n) => {
        const rejected = rejections[n] ?? [];
        if (rejected.length) {
          result.rejected++;
          listener.report({ file: o.file, line: o.line, location: objectLocation(o), object: describeObject(o), verdict: "rejected", reason: rejected.join("; "), violations: [], excluded: [] });
          return;
        }
        const review = reviews.get(o) ?? { violations: [], excluded: [] };
        const { verdict, reason } = judgeObject(o.object, review, policies);
        const m = mutations.get(o);
        const mutation = m === undefined ? {} : "error" in m ? { mutationError: m.error } : m.changes.length ? { mutated: m } : {};
        if (verdict === "undecided") {
          // what the templates said does not reach the cluster: neither their denies nor a pass are shown as verdicts
          result.undecided++;
          listener.report({ file: o.file, line: o.line, location: objectLocation(o), object: describeObject(o), verdict, reason: reason ?? "", violations: [], excluded: review.excluded, ...mutation });
          return;
        }
        if (verdict === "violations") result.violating++;
        if (verdict === "excluded") {
          result.excluded++;
          for (const e of review.excluded) reasons.add(e.reason);
        }
        if (verdict === "not checked") result.notChecked++;
        listener.report({ file: o.file, line: o.line, location: objectLocation(o), object: describeObject(o), verdict, ...(reason === undefined ? {} : { reason }), violations: review.violations, excluded: review.excluded, ...mutation });
      });
      result.objects += objects.length;
      listener.progress?.({ objects: result.objects, file: i + 1, files: files.length, bytes: at.bytes, totalBytes: at.totalBytes });
    });
    result.problems.push(...read.problems);
  }
  result.excludedReasons = [...reasons];
  return result;
}
