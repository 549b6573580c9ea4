// Templates and objects that cost Gatekeeper time in different ways, for calibrating azpol's
// estimate of it (scripts/calibrate-webhook-budget.ts) and for testing that `azpol test` reports an
// object Gatekeeper's webhook could not decide in time (test/webhook-budget.test.ts): the classic
// allowed-repos template (a comprehension over the parameters and a sprintf per container), a
// quadratic one (every pair of containers), one heavy on string builtins, and one that reads nothing
// (what Gatekeeper pays before any Rego runs: converting the object into its input).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import type { KubeObject } from "../../src/rego/kubernetes-object.js";

export interface CalibrationTemplate {
  name: string;
  /** the ConstraintTemplate object */
  template: Record<string, unknown>;
  parameters: Record<string, unknown>;
  /** the calibration objects (by name) it is measured on, or "worst": test/support/worst-case-objects.ts */
  objects: string[] | "worst";
}

const root = join(import.meta.dirname, "..", "..");

function template(kind: string, rego: string, libs: string[] = []): Record<string, unknown> {
  return {
    apiVersion: "templates.gatekeeper.sh/v1beta1",
    kind: "ConstraintTemplate",
    metadata: { name: kind.toLowerCase() },
    spec: { crd: { spec: { names: { kind } } }, targets: [{ target: "admission.k8s.gatekeeper.sh", rego, ...(libs.length ? { libs } : {}) }] },
  };
}

export function pod(name: string, spec: Record<string, unknown>, metadata: Record<string, unknown> = {}): KubeObject {
  return { apiVersion: "v1", kind: "Pod", metadata: { name, namespace: "default", ...metadata }, spec };
}

/** A Pod with `n` containers named c0, c1, ... all with image `image`. */
export function podWithContainers(n: number, image = "a", name = `containers-${n}`): KubeObject {
  return pod(name, { containers: Array.from({ length: n }, (_, i) => ({ name: `c${i}`, image })) });
}

export function classicTemplate(): Record<string, unknown> {
  return parse(readFileSync(join(root, "test", "fixtures", "templates", "classic-allowedrepos", "template.yaml"), "utf8")) as Record<string, unknown>;
}

export function calibrationObjects(): { name: string; object: KubeObject }[] {
  return [
    { name: "small-pod", object: podWithContainers(1, "myacr.azurecr.io/app:1", "small-pod") },
    ...[300, 1000, 5000, 20_000, 40_000].map((n) => ({ name: `containers-${n}`, object: podWithContainers(n) })),
    { name: "annotation-1.4MiB", object: pod("annotation", { containers: [{ name: "c", image: "a" }] }, { annotations: { note: "x".repeat(1.4 * 1024 * 1024) } }) },
  ];
}

export function calibrationTemplates(): CalibrationTemplate[] {
  const registries = (dir: string, registries: string[]): CalibrationTemplate => ({
    name: dir,
    template: parse(readFileSync(join(root, "constraint-templates", dir, "template.yaml"), "utf8")) as Record<string, unknown>,
    parameters: { registries },
    objects: "worst",
  });
  return [
    { name: "empty", template: template("CalibrateEmpty", `package calibrateempty\n\nviolation[{"msg": "never"}] {\n  input.parameters.never == true\n}\n`), parameters: {}, objects: [] },
    { name: "classic", template: classicTemplate(), parameters: { repos: ["myacr.azurecr.io/", "mcr.microsoft.com/", "registry.k8s.io/"] }, objects: ["containers-1000", "containers-5000", "containers-20000"] },
    {
      name: "quadratic",
      template: template(
        "CalibrateQuadratic",
        `package calibratequadratic\n\nviolation[{"msg": msg}] {\n  a := input.review.object.spec.containers[i]\n  b := input.review.object.spec.containers[j]\n  i < j\n  a.image == b.image\n  a.name == "c0"\n  msg := sprintf("%v and %v share an image", [a.name, b.name])\n}\n`,
      ),
      parameters: {},
      objects: ["containers-300", "containers-1000"],
    },
    {
      name: "string-builtins",
      template: template(
        "CalibrateStrings",
        `package calibratestrings\n\nviolation[{"msg": msg}] {\n  c := input.review.object.spec.containers[_]\n  parts := split(lower(c.image), "/")\n  not regex.match("^[a-z0-9.-]+\\\\.azurecr\\\\.io$", parts[0])\n  msg := sprintf("container %v: image %v is not from ACR (%v)", [c.name, c.image, concat(",", parts)])\n}\n`,
      ),
      parameters: {},
      objects: ["containers-1000", "containers-5000", "containers-20000"],
    },
    registries("disallowed-registries", ["k8s.gcr.io", "docker.io/library/busybox", "registry.example.com:5000", "10.1.2.3", "[::1]:5000", "gcr.io/google-containers"]),
    registries("allowed-registries", ["myacr.azurecr.io", "registry.k8s.io", "mcr.microsoft.com", "docker.io/library/nginx", "localhost:5000/dev", "[::1]"]),
  ];
}
