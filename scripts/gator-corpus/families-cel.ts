// CEL-judged templates (K8sNativeValidation, GK v3.19.1 pkg/drivers/k8scel): message and
// messageExpression, variables and variables.params, matchConditions, templates with both
// engines (the CEL decides), oldObject on UPDATE, DELETE and the request's userInfo.
import { admission, deployment, pod, strings, type Family } from "./model.js";

export const celFamilies: Family[] = [
  {
    kind: "K8sCelHostNetwork",
    cel: { validations: [{ expression: "!has(object.spec.hostNetwork) || object.spec.hostNetwork == false", message: "hostNetwork is not allowed" }] },
    cases: [
      { name: "cel-host", object: pod("a", { extra: { hostNetwork: true } }), assertions: [{ violations: 1, message: "^hostNetwork is not allowed$" }] },
      { name: "cel-nohost", object: pod("b"), assertions: [{ violations: "no" }] },
    ],
  },
  {
    kind: "K8sCelRequiredLabels",
    schema: { labels: strings },
    cel: {
      validations: [
        {
          expression: "variables.params.labels.all(l, has(object.metadata.labels) && l in object.metadata.labels)",
          messageExpression: "'missing labels on ' + object.metadata.name + ': ' + variables.params.labels.filter(l, !has(object.metadata.labels) || !(l in object.metadata.labels)).join(', ')",
        },
      ],
    },
    parameters: { labels: ["owner", "team"] },
    cases: [
      { name: "cellabels-missing", object: pod("a", { labels: { owner: "x" } }), assertions: [{ violations: 1, message: "team$" }] },
      { name: "cellabels-none", object: pod("n"), assertions: [{ violations: 1 }] },
      { name: "cellabels-ok", object: pod("b", { labels: { owner: "x", team: "y" } }), assertions: [{ violations: "no" }] },
    ],
    invalidParameters: { labels: [1, 2] },
  },
  {
    kind: "K8sCelVariables",
    schema: { maxContainers: { type: "integer" } },
    cel: {
      variables: [
        { name: "containers", expression: "object.spec.containers" },
        { name: "tooMany", expression: "size(variables.containers) > variables.params.maxContainers" },
      ],
      validations: [
        { expression: "!variables.tooMany", messageExpression: "'pod has ' + string(size(variables.containers)) + ' containers, max ' + string(variables.params.maxContainers)" },
        { expression: "variables.containers.all(c, !c.image.endsWith(':latest'))", message: "images must not use the latest tag" },
      ],
    },
    parameters: { maxContainers: 2 },
    cases: [
      { name: "celvars-both", object: pod("a", { images: ["a:latest", "b:1", "c:1"] }), assertions: [{ violations: 2 }] },
      { name: "celvars-latest", object: pod("b", { images: ["a:latest"] }), assertions: [{ violations: 1, message: "latest" }] },
      { name: "celvars-ok", object: pod("c", { images: ["a:1"] }), assertions: [{ violations: "no" }] },
    ],
  },
  {
    kind: "K8sCelMatchConditions",
    cel: {
      matchConditions: [{ name: "only-labelled", expression: "has(object.metadata.labels) && 'check' in object.metadata.labels" }],
      validations: [{ expression: "object.spec.containers.all(c, has(c.securityContext) && has(c.securityContext.runAsNonRoot) && c.securityContext.runAsNonRoot)", message: "containers must run as non-root" }],
    },
    cases: [
      { name: "celmc-checked", object: pod("a", { labels: { check: "yes" } }), assertions: [{ violations: 1 }] },
      { name: "celmc-not-selected", object: pod("b"), assertions: [{ violations: "no" }] },
    ],
  },
  {
    kind: "K8sBothEngines",
    schema: { labels: strings },
    rego: `package k8sbothengines
violation[{"msg": "from-rego"}] { true }
`,
    cel: { validations: [{ expression: "has(object.metadata.labels)", message: "from-cel: labels are required" }] },
    cases: [
      { name: "both-nolabels", object: pod("a"), assertions: [{ violations: 1, message: "^from-cel" }] },
      { name: "both-labels", object: pod("b", { labels: { a: "b" } }), assertions: [{ violations: "no" }] },
    ],
  },
  {
    kind: "K8sBothEnginesV1",
    regoV1: true,
    rego: `package k8sbothenginesv1
violation contains {"msg": "from-rego-v1"} if input.review.object.spec.replicas > 1
`,
    cel: { validations: [{ expression: "!has(object.spec.replicas) || object.spec.replicas <= 3", messageExpression: "'from-cel: ' + string(object.spec.replicas) + ' replicas'" }] },
    cases: [
      { name: "bothv1-five", object: deployment("a", { replicas: 5 }), assertions: [{ violations: 1, message: "^from-cel: 5 replicas$" }] },
      { name: "bothv1-two", object: deployment("b", { replicas: 2 }), assertions: [{ violations: "no" }] },
    ],
  },
  {
    kind: "K8sCelImmutable",
    cel: {
      validations: [
        {
          expression: "request.operation != 'UPDATE' || oldObject == null || object.spec.containers.map(c, c.image) == oldObject.spec.containers.map(c, c.image)",
          messageExpression: "'images of ' + object.metadata.name + ' are immutable (' + request.userInfo.username + ')'",
        },
      ],
    },
    cases: [
      { name: "celimm-update", object: admission("UPDATE", pod("a", { images: ["img:2"] }), pod("a", { images: ["img:1"] }), "bob"), assertions: [{ violations: 1, message: "\\(bob\\)$" }] },
      { name: "celimm-same", object: admission("UPDATE", pod("a"), pod("a")), assertions: [{ violations: "no" }] },
      { name: "celimm-create", object: admission("CREATE", pod("a"), undefined), assertions: [{ violations: "no" }] },
      { name: "celimm-plain", object: pod("a"), assertions: [{ violations: "no" }] },
    ],
  },
  {
    kind: "K8sCelProtectedDelete",
    cel: {
      validations: [
        {
          expression: "request.operation != 'DELETE' || !has(oldObject.metadata.labels) || !('protected' in oldObject.metadata.labels)",
          messageExpression: "oldObject.metadata.name + ' is protected'",
        },
      ],
    },
    cases: [
      { name: "celdel-protected", object: admission("DELETE", undefined, pod("a", { labels: { protected: "true" } })), assertions: [{ violations: 1, message: "^a is protected$" }] },
      { name: "celdel-free", object: admission("DELETE", undefined, pod("b")), assertions: [{ violations: "no" }] },
    ],
  },
  {
    kind: "K8sCelArrayOfObjects",
    schema: { limits: { type: "array", items: { type: "object", properties: { name: { type: "string" }, max: { type: "integer" } } } } },
    cel: {
      validations: [
        {
          expression: "variables.params.limits.all(l, !(l.name in object.metadata.labels) || int(object.metadata.labels[l.name]) <= l.max)",
          message: "a label is above its limit",
        },
      ],
    },
    parameters: { limits: [{ name: "cpu", max: 4 }, { name: "gpu", max: 1 }] },
    cases: [
      { name: "celarr-over", object: pod("a", { labels: { cpu: "8" } }), assertions: [{ violations: 1 }] },
      { name: "celarr-ok", object: pod("b", { labels: { cpu: "2", gpu: "1" } }), assertions: [{ violations: "no" }] },
      { name: "celarr-not-int", object: pod("c", { labels: { cpu: "lots" } }), assertions: [{ violations: "yes" }] },
    ],
  },
];
