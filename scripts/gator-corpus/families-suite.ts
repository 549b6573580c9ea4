// Templates that exercise the suite and the constraint rather than the code: ExpansionTemplates
// (Rego and CEL, enforcementAction override, match.source), match criteria, cluster-scoped
// objects, referential data (must be reported unsupported), and skip.
import { deployment, deploymentsToPods, pod, strings, type Family } from "./model.js";

const noLatest = (kind: string) => `package ${kind.toLowerCase()}
violation[{"msg": msg}] {
  c := input.review.object.spec.containers[_]
  endswith(c.image, ":latest")
  msg := sprintf("%v %v uses a latest tag: %v", [input.review.kind.kind, input.review.object.metadata.name, c.image])
}
`;

export const suiteFamilies: Family[] = [
  {
    kind: "K8sExpandRego",
    rego: noLatest("K8sExpandRego"),
    match: { kinds: [{ apiGroups: [""], kinds: ["Pod"] }] },
    expansion: deploymentsToPods,
    cases: [
      { name: "exprego-deploy-latest", object: deployment("web", { images: ["nginx:latest"] }), assertions: [{ violations: 1, message: "^\\[Implied by expand-k8sexpandrego\\] Pod web-pod " }] },
      { name: "exprego-deploy-ok", object: deployment("web", { images: ["nginx:1.27"] }), assertions: [{ violations: "no" }] },
      { name: "exprego-pod-latest", object: pod("p", { images: ["nginx:latest"] }), assertions: [{ violations: 1 }] },
    ],
  },
  {
    kind: "K8sExpandCel",
    cel: { validations: [{ expression: "object.spec.containers.all(c, !c.image.endsWith(':latest'))", messageExpression: "object.kind + ' ' + object.metadata.name + ' uses a latest tag'" }] },
    match: { kinds: [{ apiGroups: [""], kinds: ["Pod"] }] },
    expansion: deploymentsToPods,
    cases: [
      { name: "expcel-deploy-latest", object: deployment("api", { images: ["a:latest"] }), assertions: [{ violations: 1, message: "Implied by" }] },
      { name: "expcel-deploy-ok", object: deployment("api", { images: ["a:2"] }), assertions: [{ violations: "no" }] },
    ],
  },
  {
    kind: "K8sExpandWarn",
    rego: noLatest("K8sExpandWarn"),
    expansion: { ...deploymentsToPods, enforcementAction: "warn" },
    cases: [
      // no match: the Deployment itself is reviewed too (its containers are under spec.template)
      { name: "expwarn-deploy-latest", object: deployment("w", { images: ["a:latest", "b:latest"] }), assertions: [{ violations: 2 }] },
    ],
  },
  {
    kind: "K8sExpandGeneratedOnly",
    rego: noLatest("K8sExpandGeneratedOnly"),
    match: { source: "Generated" },
    expansion: deploymentsToPods,
    cases: [
      { name: "expgen-deploy", object: deployment("g", { images: ["a:latest"] }), assertions: [{ violations: 1 }] },
      { name: "expgen-pod", object: pod("g", { images: ["a:latest"] }), assertions: [{ violations: "no" }] },
    ],
  },
  {
    kind: "K8sExpandOriginalOnly",
    rego: noLatest("K8sExpandOriginalOnly"),
    match: { source: "Original", kinds: [{ apiGroups: ["*"], kinds: ["Pod", "Deployment"] }] },
    expansion: deploymentsToPods,
    cases: [
      { name: "exporig-deploy", object: deployment("o", { images: ["a:latest"] }), assertions: [{ violations: "no" }] },
      { name: "exporig-pod", object: pod("o", { images: ["a:latest"] }), assertions: [{ violations: 1 }] },
    ],
  },
  {
    kind: "K8sMatchNamespaces",
    rego: noLatest("K8sMatchNamespaces"),
    match: { namespaces: ["prod-*", "payments"], excludedNamespaces: ["prod-sandbox"] },
    cases: [
      { name: "ns-prod", object: pod("a", { ns: "prod-eu", images: ["x:latest"] }), assertions: [{ violations: 1 }] },
      { name: "ns-payments", object: pod("b", { ns: "payments", images: ["x:latest"] }), assertions: [{ violations: 1 }] },
      { name: "ns-excluded", object: pod("c", { ns: "prod-sandbox", images: ["x:latest"] }), assertions: [{ violations: "no" }] },
      { name: "ns-other", object: pod("d", { ns: "dev", images: ["x:latest"] }), assertions: [{ violations: "no" }] },
    ],
  },
  {
    kind: "K8sMatchLabelsAndName",
    rego: noLatest("K8sMatchLabelsAndName"),
    match: { labelSelector: { matchExpressions: [{ key: "tier", operator: "In", values: ["web", "api"] }] }, name: "front*" },
    cases: [
      { name: "lbl-match", object: pod("frontend", { labels: { tier: "web" }, images: ["x:latest"] }), assertions: [{ violations: 1 }] },
      { name: "lbl-wrong-tier", object: pod("frontend", { labels: { tier: "db" }, images: ["x:latest"] }), assertions: [{ violations: "no" }] },
      { name: "lbl-wrong-name", object: pod("backend", { labels: { tier: "web" }, images: ["x:latest"] }), assertions: [{ violations: "no" }] },
    ],
  },
  {
    kind: "K8sClusterScope",
    schema: { required: strings },
    rego: `package k8sclusterscope
violation[{"msg": msg}] {
  input.review.kind.kind == "Namespace"
  l := input.parameters.required[_]
  not input.review.object.metadata.labels[l]
  msg := sprintf("namespace %v needs label %v", [input.review.object.metadata.name, l])
}
`,
    parameters: { required: ["owner"] },
    match: { scope: "Cluster", kinds: [{ apiGroups: [""], kinds: ["Namespace"] }] },
    cases: [
      { name: "scope-ns-missing", object: { apiVersion: "v1", kind: "Namespace", metadata: { name: "team-a" } }, assertions: [{ violations: 1 }] },
      { name: "scope-ns-ok", object: { apiVersion: "v1", kind: "Namespace", metadata: { name: "team-b", labels: { owner: "b" } } }, assertions: [{ violations: "no" }] },
    ],
  },
  {
    kind: "K8sUniqueServiceSelector",
    annotations: { "metadata.gatekeeper.sh/requires-sync-data": '"[[{"groups":[""],"versions":["v1"],"kinds":["Service"]}]]"' },
    rego: `package k8suniqueserviceselector
violation[{"msg": msg}] {
  input.review.kind.kind == "Service"
  other := data.inventory.namespace[ns][_]["Service"][name]
  other.spec.selector == input.review.object.spec.selector
  name != input.review.object.metadata.name
  msg := sprintf("same selector as service %v/%v", [ns, name])
}
`,
    cases: [
      {
        name: "inventory-duplicate",
        object: { apiVersion: "v1", kind: "Service", metadata: { name: "a", namespace: "default" }, spec: { selector: { app: "x" } } },
        inventory: [{ apiVersion: "v1", kind: "Service", metadata: { name: "b", namespace: "default" }, spec: { selector: { app: "x" } } }],
        assertions: [{ violations: 1 }],
      },
      { name: "inventory-none", object: { apiVersion: "v1", kind: "Service", metadata: { name: "a", namespace: "default" }, spec: { selector: { app: "x" } } }, assertions: [{ violations: "no" }] },
    ],
  },
  {
    kind: "K8sSkipped",
    rego: noLatest("K8sSkipped"),
    skipTest: true,
    cases: [{ name: "skipped-never-run", object: pod("a", { images: ["x:latest"] }), assertions: [{ violations: "no" }] }],
  },
  {
    kind: "K8sCaseSkip",
    rego: noLatest("K8sCaseSkip"),
    cases: [
      { name: "caseskip-skipped", object: pod("a", { images: ["x:latest"] }), assertions: [{ violations: "no" }], skip: true },
      { name: "caseskip-run", object: pod("a", { images: ["x:latest"] }), assertions: [{ violations: 1, message: "(?i)LATEST TAG" }] },
    ],
  },
];
