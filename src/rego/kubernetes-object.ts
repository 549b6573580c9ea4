// What Gatekeeper derives from a plain manifest: its group/version/kind, and the
// AdmissionRequest it synthesizes for audit and gator (GK pkg/target/target.go
// unstructuredToAdmissionRequest: only kind, object, name and namespace are filled).

export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata?: { name?: string; namespace?: string; labels?: Record<string, string>; generateName?: string };
  [key: string]: unknown;
}

export interface GroupVersionKind {
  group: string;
  version: string;
  kind: string;
}

export function groupVersionKind(obj: KubeObject): GroupVersionKind {
  const apiVersion = typeof obj.apiVersion === "string" ? obj.apiVersion : "";
  const slash = apiVersion.indexOf("/");
  return {
    group: slash >= 0 ? apiVersion.slice(0, slash) : "",
    version: slash >= 0 ? apiVersion.slice(slash + 1) : apiVersion,
    kind: typeof obj.kind === "string" ? obj.kind : "",
  };
}


/** The review document a template sees as input.review for an object read from a file. */
export function reviewOf(obj: KubeObject): Record<string, unknown> {
  const review: Record<string, unknown> = {
    uid: "",
    kind: groupVersionKind(obj),
    resource: { group: "", version: "", resource: "" },
  };
  const name = obj.metadata?.name;
  const namespace = obj.metadata?.namespace;
  if (name) review.name = name;
  if (namespace) review.namespace = namespace;
  Object.assign(review, { operation: "", userInfo: {}, object: obj, oldObject: null, options: null });
  return review;
}
