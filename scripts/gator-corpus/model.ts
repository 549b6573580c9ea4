// The shapes the gator differential generates: one template per family, with its constraint,
// objects and a suite in gator's format (GK v3.19.1 pkg/gator/verify/suite.go).

export type Obj = Record<string, unknown>;

export interface Assertion {
  violations?: "yes" | "no" | number;
  message?: string;
}

export interface CorpusCase {
  name: string;
  object: Obj;
  assertions: Assertion[];
  /** objects for data.inventory: azpol must report the case unsupported (Azure blocks synced data) */
  inventory?: Obj[];
  skip?: boolean;
}

export interface Family {
  /** the template's kind; its name is the lowercase */
  kind: string;
  /** openAPIV3Schema properties of the parameters */
  schema?: Obj;
  rego?: string;
  libs?: string[];
  /** Rego v1: goes in code: [{engine: Rego, source: {version: v1}}] */
  regoV1?: boolean;
  /** a K8sNativeValidation source (validations, variables, matchConditions) */
  cel?: Obj;
  annotations?: Obj;
  parameters?: Obj;
  match?: Obj;
  enforcementAction?: string;
  /** ExpansionTemplate spec for the test */
  expansion?: Obj;
  cases: CorpusCase[];
  /** parameters the schema must reject: adds an invalid: true test */
  invalidParameters?: Obj;
  /** the main test is skipped (skip: true) */
  skipTest?: boolean;
}

export const pod = (name: string, opts: { ns?: string; labels?: Obj; images?: string[]; extra?: Obj } = {}): Obj => ({
  apiVersion: "v1",
  kind: "Pod",
  metadata: { name, ...(opts.ns === "" ? {} : { namespace: opts.ns ?? "default" }), ...(opts.labels ? { labels: opts.labels } : {}) },
  spec: { containers: (opts.images ?? ["registry.k8s.io/pause:3.9"]).map((image, i) => ({ name: `c${i}`, image })), ...(opts.extra ?? {}) },
});

export const deployment = (name: string, opts: { replicas?: number; images?: string[]; labels?: Obj; ns?: string } = {}): Obj => ({
  apiVersion: "apps/v1",
  kind: "Deployment",
  metadata: { name, namespace: opts.ns ?? "default", ...(opts.labels ? { labels: opts.labels } : {}) },
  spec: {
    ...(opts.replicas !== undefined ? { replicas: opts.replicas } : {}),
    selector: { matchLabels: { app: name } },
    template: { metadata: { labels: { app: name } }, spec: { containers: (opts.images ?? ["registry.k8s.io/pause:3.9"]).map((image, i) => ({ name: `c${i}`, image })) } },
  },
});

/** An AdmissionReview (admission.k8s.io/v1) for a Pod, as gatekeeper-library's update samples. */
export const admission = (operation: string, object: Obj | undefined, oldObject: Obj | undefined, username = "dev"): Obj => {
  const subject = (object ?? oldObject) as { kind: string; metadata: { name: string; namespace?: string } };
  return {
    apiVersion: "admission.k8s.io/v1",
    kind: "AdmissionReview",
    request: {
      uid: "00000000-0000-0000-0000-000000000001",
      kind: { group: "", version: "v1", kind: subject.kind },
      resource: { group: "", version: "v1", resource: `${subject.kind.toLowerCase()}s` },
      name: subject.metadata.name,
      namespace: subject.metadata.namespace ?? "",
      operation,
      userInfo: { username, groups: ["system:authenticated"] },
      ...(object ? { object } : {}),
      ...(oldObject ? { oldObject } : {}),
    },
  };
};

export const deploymentsToPods: Obj = {
  applyTo: [{ groups: ["apps"], kinds: ["Deployment"], versions: ["v1"] }],
  templateSource: "spec.template",
  generatedGVK: { kind: "Pod", group: "", version: "v1" },
};

export const strings = { type: "array", items: { type: "string" } };
