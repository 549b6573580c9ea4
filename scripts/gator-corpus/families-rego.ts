// Rego-judged templates: v0 and v1, libs, details, integer and array-of-object parameters,
// several violations per object, number formatting, AdmissionReview UPDATE/DELETE and userInfo.
import { admission, deployment, pod, strings, type Family, type Obj } from "./model.js";

const requiredLabelsV0 = `package k8srequiredlabelsv0
violation[{"msg": msg, "details": {"missing_labels": missing}}] {
  provided := {label | input.review.object.metadata.labels[label]}
  required := {label | label := input.parameters.labels[_]}
  missing := required - provided
  count(missing) > 0
  msg := sprintf("you must provide labels: %v", [missing])
}
`;

export const regoFamilies: Family[] = [
  {
    kind: "K8sRequiredLabelsV0",
    schema: { labels: strings },
    rego: requiredLabelsV0,
    parameters: { labels: ["owner", "team"] },
    cases: [
      { name: "v0-missing-both", object: pod("a"), assertions: [{ violations: 1 }] },
      { name: "v0-missing-one", object: pod("b", { labels: { owner: "x" } }), assertions: [{ violations: 1, message: "team" }] },
      { name: "v0-has-all", object: pod("c", { labels: { owner: "x", team: "y" } }), assertions: [{ violations: "no" }] },
    ],
    invalidParameters: { labels: "owner" },
  },
  {
    kind: "K8sRequiredLabelsV1",
    schema: { labels: strings },
    regoV1: true,
    rego: `package k8srequiredlabelsv1
violation contains {"msg": msg} if {
  some label in input.parameters.labels
  not input.review.object.metadata.labels[label]
  msg := sprintf("label %q is required on %s %s", [label, input.review.kind.kind, input.review.object.metadata.name])
}
`,
    parameters: { labels: ["owner", "cost-center"] },
    cases: [
      { name: "v1-missing-both", object: pod("a"), assertions: [{ violations: 2 }] },
      { name: "v1-ok", object: pod("b", { labels: { owner: "o", "cost-center": "c" } }), assertions: [{ violations: "no" }] },
    ],
  },
  {
    kind: "K8sImportRegoV1InV0",
    rego: `package k8simportregov1inv0
import rego.v1
violation contains {"msg": "host network is not allowed"} if input.review.object.spec.hostNetwork == true
`,
    cases: [
      { name: "importv1-host", object: pod("a", { extra: { hostNetwork: true } }), assertions: [{ violations: 1 }] },
      { name: "importv1-ok", object: pod("b"), assertions: [{ violations: "no" }] },
    ],
  },
  {
    kind: "K8sWithLibs",
    schema: { prefixes: strings },
    rego: `package k8swithlibs
import data.lib.images.registry_of
import data.lib.images.allowed
violation[{"msg": msg}] {
  c := input.review.object.spec.containers[_]
  not allowed(c.image, input.parameters.prefixes)
  msg := sprintf("container %v uses %v from registry %v", [c.name, c.image, registry_of(c.image)])
}
`,
    libs: [
      `package lib.images
registry_of(image) = r {
  parts := split(image, "/")
  count(parts) > 1
  r := parts[0]
}
registry_of(image) = "docker.io" {
  count(split(image, "/")) == 1
}
allowed(image, prefixes) {
  startswith(image, prefixes[_])
}
`,
    ],
    parameters: { prefixes: ["myacr.azurecr.io/", "registry.k8s.io/"] },
    cases: [
      { name: "libs-two-bad", object: pod("a", { images: ["nginx", "k8s.gcr.io/pause:3.9", "myacr.azurecr.io/app:1"] }), assertions: [{ violations: 2 }, { violations: 1, message: "docker\\.io$" }] },
      { name: "libs-ok", object: pod("b", { images: ["myacr.azurecr.io/app:1"] }), assertions: [{ violations: "no" }] },
    ],
  },
  {
    kind: "K8sLibsV1",
    regoV1: true,
    rego: `package k8slibsv1
import data.lib.util.privileged_containers
violation contains {"msg": sprintf("privileged container %s", [name])} if some name in privileged_containers
`,
    libs: [
      `package lib.util
privileged_containers contains c.name if {
  some c in input.review.object.spec.containers
  c.securityContext.privileged == true
}
`,
    ],
    cases: [
      {
        name: "libsv1-privileged",
        object: { ...pod("a"), spec: { containers: [{ name: "x", image: "i", securityContext: { privileged: true } }, { name: "y", image: "i" }] } },
        assertions: [{ violations: 1, message: "^privileged container x$" }],
      },
      { name: "libsv1-ok", object: pod("b"), assertions: [{ violations: "no" }] },
    ],
  },
  {
    kind: "K8sMaxReplicas",
    schema: { max: { type: "integer" } },
    rego: `package k8smaxreplicas
violation[{"msg": msg, "details": {"replicas": r, "max": input.parameters.max}}] {
  r := input.review.object.spec.replicas
  r > input.parameters.max
  msg := sprintf("replicas %v exceed the maximum %d (ratio %v)", [r, input.parameters.max, r / input.parameters.max])
}
`,
    parameters: { max: 3 },
    cases: [
      { name: "replicas-too-many", object: deployment("a", { replicas: 5 }), assertions: [{ violations: 1, message: "ratio" }] },
      { name: "replicas-ok", object: deployment("b", { replicas: 3 }), assertions: [{ violations: "no" }] },
      { name: "replicas-unset", object: deployment("c"), assertions: [{ violations: "no" }] },
    ],
    invalidParameters: { max: "three" },
  },
  {
    kind: "K8sAllowedPorts",
    schema: { allowed: { type: "array", items: { type: "object", properties: { port: { type: "integer" }, protocol: { type: "string" } } } } },
    rego: `package k8sallowedports
violation[{"msg": msg}] {
  c := input.review.object.spec.containers[_]
  p := c.ports[_]
  not allowed(p)
  msg := sprintf("port %v/%v of %v is not allowed", [p.containerPort, object.get(p, "protocol", "TCP"), c.name])
}
allowed(p) {
  a := input.parameters.allowed[_]
  a.port == p.containerPort
  a.protocol == object.get(p, "protocol", "TCP")
}
`,
    parameters: { allowed: [{ port: 443, protocol: "TCP" }, { port: 53, protocol: "UDP" }] },
    cases: [
      {
        name: "ports-bad",
        object: { ...pod("a"), spec: { containers: [{ name: "web", image: "i", ports: [{ containerPort: 80 }, { containerPort: 443 }, { containerPort: 53, protocol: "TCP" }] }] } },
        assertions: [{ violations: 2 }],
      },
      { name: "ports-ok", object: { ...pod("b"), spec: { containers: [{ name: "dns", image: "i", ports: [{ containerPort: 53, protocol: "UDP" }] }] } }, assertions: [{ violations: "no" }] },
    ],
    invalidParameters: { allowed: [{ port: "https" }] },
  },
  {
    kind: "K8sImmutableImage",
    rego: `package k8simmutableimage
violation[{"msg": msg}] {
  input.review.operation == "UPDATE"
  new := input.review.object.spec.containers[i].image
  old := input.review.oldObject.spec.containers[i].image
  new != old
  msg := sprintf("%v may not change image from %v to %v (user %v)", [input.review.name, old, new, input.review.userInfo.username])
}
`,
    cases: [
      { name: "immutable-update", object: admission("UPDATE", pod("a", { images: ["img:2"] }), pod("a", { images: ["img:1"] })), assertions: [{ violations: 1, message: "user dev" }] },
      { name: "immutable-same", object: admission("UPDATE", pod("a"), pod("a")), assertions: [{ violations: "no" }] },
      { name: "immutable-create", object: admission("CREATE", pod("a"), undefined), assertions: [{ violations: "no" }] },
      { name: "immutable-plain", object: pod("a"), assertions: [{ violations: "no" }] },
    ],
  },
  {
    // AdmissionReview requests as gatekeeper-library's samples write them (no uid, kind, resource,
    // namespace or userInfo; admission.k8s.io/v1beta1): gator serialises the typed admission/v1
    // request (zero values for what is missing) and matches the object and oldObject themselves,
    // not the request's kind or namespace.
    kind: "K8sReviewShape",
    rego: `package k8sreviewshape
violation[{"msg": msg}] {
  c := input.review.object.spec.containers[_]
  not c.readinessProbe
  msg := sprintf("container <%v> in <%v> has no readinessProbe (uid %q, op %q, user %v, resource %v, old %v, options %v)", [c.name, input.review.kind.kind, input.review.uid, input.review.operation, input.review.userInfo, input.review.resource, input.review.oldObject, input.review.options])
}
`,
    match: { kinds: [{ apiGroups: [""], kinds: ["Pod"] }], namespaces: ["default"] },
    cases: [
      { name: "bare-create", object: { apiVersion: "admission.k8s.io/v1beta1", kind: "AdmissionReview", request: { operation: "CREATE", object: pod("a") } }, assertions: [{ violations: 1, message: "in <> has no" }] },
      { name: "bare-no-operation", object: { apiVersion: "admission.k8s.io/v1", kind: "AdmissionReview", request: { object: pod("b", { images: ["x", "y"] }) } }, assertions: [{ violations: 2 }] },
      { name: "request-kind-differs", object: { ...admission("CREATE", pod("c"), undefined), request: { ...(admission("CREATE", pod("c"), undefined).request as Obj), kind: { group: "apps", version: "v1", kind: "Deployment" } } }, assertions: [{ violations: 1, message: "in <Deployment>" }] },
      { name: "request-namespace-differs", object: { ...admission("CREATE", pod("d", { ns: "default" }), undefined), request: { ...(admission("CREATE", pod("d"), undefined).request as Obj), namespace: "kube-system" } }, assertions: [{ violations: 1 }] },
      { name: "object-namespace-excluded", object: { apiVersion: "admission.k8s.io/v1", kind: "AdmissionReview", request: { operation: "CREATE", namespace: "default", object: pod("e", { ns: "other" }) } }, assertions: [{ violations: "no" }] },
      { name: "old-object-matches", object: admission("UPDATE", pod("f", { ns: "other" }), pod("f", { ns: "default" })), assertions: [{ violations: 1, message: "op \"UPDATE\"" }] },
    ],
  },
  {
    kind: "K8sProtectedDelete",
    rego: `package k8sprotecteddelete
violation[{"msg": msg}] {
  input.review.operation == "DELETE"
  input.review.object.metadata.labels.protected == "true"
  msg := sprintf("%v is protected and may not be deleted by %v", [input.review.object.metadata.name, input.review.userInfo.username])
}
`,
    cases: [
      { name: "delete-protected", object: admission("DELETE", undefined, pod("a", { labels: { protected: "true" } }), "alice"), assertions: [{ violations: 1, message: "by alice$" }] },
      { name: "delete-unprotected", object: admission("DELETE", undefined, pod("b")), assertions: [{ violations: "no" }] },
    ],
  },
  {
    kind: "K8sRegoRuntimeError",
    rego: `package k8sregoruntimeerror
violation[{"msg": msg}] {
  x := to_number(input.review.object.metadata.labels.size)
  x > 10
  msg := sprintf("size %v is too large", [x])
}
`,
    cases: [
      { name: "rterr-large", object: pod("a", { labels: { size: "11" } }), assertions: [{ violations: 1 }] },
      { name: "rterr-small", object: pod("b", { labels: { size: "2" } }), assertions: [{ violations: "no" }] },
      { name: "rterr-not-a-number", object: pod("c", { labels: { size: "big" } }), assertions: [{ violations: "yes" }] },
    ],
  },
  {
    kind: "K8sCountPerContainer",
    rego: `package k8scountpercontainer
violation[{"msg": sprintf("container %v has no resource limits", [c.name])}] {
  c := input.review.object.spec.containers[_]
  not c.resources.limits
}
violation[{"msg": "the pod sets no service account"}] {
  not input.review.object.spec.serviceAccountName
}
`,
    cases: [
      { name: "count-three", object: pod("a", { images: ["a", "b"] }), assertions: [{ violations: 3 }, { violations: 2, message: "^container c[01] " }] },
      {
        name: "count-none",
        object: { ...pod("b"), spec: { serviceAccountName: "s", containers: [{ name: "c", image: "i", resources: { limits: { cpu: "1" } } }] } },
        assertions: [{ violations: 0 }],
      },
    ],
  },
];
