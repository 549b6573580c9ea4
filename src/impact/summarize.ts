// "What would break if this policy were set to Deny now": the objects it would deny, summed up per
// namespace and per image. Pure. A Pod that a controller made (ownerReferences) is counted, and
// marked, since the controller's own object is what to change.
import { asRecord } from "../core/constraint-template.js";
import type { KubeObject } from "../rego/kubernetes-object.js";
import type { Violation } from "../rego/evaluate.js";

export interface DeniedObject {
  kind: string;
  namespace: string;
  name: string;
  /** the controller that owns it, if any ("ReplicaSet web-7d4f") */
  ownedBy?: string;
  images: string[];
  messages: string[];
}

export interface ImpactSummary {
  objects: number;
  denied: DeniedObject[];
  byNamespace: { namespace: string; objects: number; denied: number }[];
  byImage: { image: string; objects: number; namespaces: string[] }[];
}

function images(obj: KubeObject): string[] {
  const found: string[] = [];
  const walk = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === "object") {
      for (const [k, x] of Object.entries(v)) {
        if ((k === "containers" || k === "initContainers" || k === "ephemeralContainers") && Array.isArray(x)) {
          for (const c of x) if (typeof asRecord(c)?.image === "string") found.push(asRecord(c)?.image as string);
        } else walk(x);
      }
    }
  };
  walk(obj);
  return [...new Set(found)];
}

export function summarize(objects: KubeObject[], verdicts: Violation[][]): ImpactSummary {
  const denied: DeniedObject[] = [];
  const namespaces = new Map<string, { objects: number; denied: number }>();
  const byImage = new Map<string, { objects: number; namespaces: Set<string> }>();
  objects.forEach((obj, i) => {
    const namespace = obj.metadata?.namespace ?? "";
    const ns = namespaces.get(namespace) ?? { objects: 0, denied: 0 };
    ns.objects++;
    namespaces.set(namespace, ns);
    const violations = verdicts[i] ?? [];
    if (violations.length === 0) return;
    ns.denied++;
    const owner = (asRecord(obj.metadata)?.ownerReferences as { kind?: string; name?: string; controller?: boolean }[] | undefined)?.find((o) => o.controller);
    const imgs = images(obj);
    denied.push({ kind: obj.kind ?? "", namespace, name: obj.metadata?.name ?? "", ...(owner ? { ownedBy: `${owner.kind ?? ""} ${owner.name ?? ""}` } : {}), images: imgs, messages: [...new Set(violations.map((v) => v.msg))] });
    // the images the messages name; a template whose messages name none blames them all
    const named = imgs.filter((image) => violations.some((v) => v.msg.includes(image)));
    for (const image of named.length ? named : imgs) {
      const entry = byImage.get(image) ?? { objects: 0, namespaces: new Set<string>() };
      entry.objects++;
      entry.namespaces.add(namespace);
      byImage.set(image, entry);
    }
  });
  return {
    objects: objects.length,
    denied,
    byNamespace: [...namespaces].map(([namespace, n]) => ({ namespace, ...n })).filter((n) => n.denied > 0).sort((a, b) => b.denied - a.denied || a.namespace.localeCompare(b.namespace)),
    byImage: [...byImage].map(([image, e]) => ({ image, objects: e.objects, namespaces: [...e.namespaces].sort() })).sort((a, b) => b.objects - a.objects || a.image.localeCompare(b.image)),
  };
}
