// Templates that call Gatekeeper's external_data (as Microsoft's ImageIntegrityNotationVerification
// does) compile as they do in Gatekeeper, and every object whose verdict depended on a provider is
// reported "not evaluated offline (external data)": never a pass, in manifests and in suites.
import { beforeAll, describe, expect, it } from "vitest";
import { readConstraintTemplate } from "../src/core/constraint-template.js";
import { parseSourceText } from "../src/io/source-file.js";
import type { Constraint } from "../src/rego/constraint.js";
import { loadEngine } from "../src/rego/engine.js";
import { NOT_EVALUATED_EXTERNAL_DATA, reviewObjects } from "../src/rego/evaluate.js";
import { TemplateCache } from "../src/rego/template-cache.js";
import type { KubeObject } from "../src/rego/kubernetes-object.js";

// The shape of Gatekeeper's external data example (website/docs/externaldata.md), asked only for
// Pods labelled verify=true, so both outcomes are seen.
const TEXT = `apiVersion: templates.gatekeeper.sh/v1
kind: ConstraintTemplate
metadata:
  name: azpoltestexternaldata
spec:
  crd:
    spec:
      names:
        kind: AzpolTestExternalData
  targets:
    - target: admission.k8s.gatekeeper.sh
      rego: |
        package azpoltestexternaldata
        violation[{"msg": msg}] {
          input.review.object.metadata.labels.verify == "true"
          images := [img | img = input.review.object.spec.containers[_].image]
          response := external_data({"provider": "signature-checker", "keys": images})
          response_with_error(response)
          msg := sprintf("invalid response: %v", [response])
        }
        violation[{"msg": msg}] {
          input.review.object.metadata.labels.bad == "true"
          msg := "bad label"
        }
        response_with_error(response) {
          count(response.errors) > 0
        }
        response_with_error(response) {
          count(response.system_error) > 0
        }
`;
const template = readConstraintTemplate(parseSourceText("template.yaml", TEXT).data, TEXT);
const constraint: Constraint = { kind: "AzpolTestExternalData", name: "x", match: undefined, parameters: {}, enforcementAction: "deny" };
const pod = (labels: Record<string, string>): KubeObject => ({ apiVersion: "v1", kind: "Pod", metadata: { name: "p", namespace: "default", labels }, spec: { containers: [{ name: "c", image: "myacr.azurecr.io/app:1" }] } });

describe("external_data", () => {
  let cache: TemplateCache;
  beforeAll(async () => {
    cache = new TemplateCache(await loadEngine());
  });

  it("compiles (it no longer fails as an unknown function)", async () => {
    if (Array.isArray(template)) throw new Error(template.join("; "));
    await expect(cache.engine.compile(template.rego ?? "", [], undefined)).resolves.toBeDefined();
  });

  it("an object whose verdict asked a provider is 'not evaluated offline', never a pass; others are judged", async () => {
    if (Array.isArray(template)) throw new Error(template.join("; "));
    const [asked, plain, bad] = await reviewObjects(cache, [{ template, constraint }], [pod({ verify: "true" }), pod({}), pod({ bad: "true" })]);
    expect(asked?.map((v) => [v.msg, v.notEvaluated])).toEqual([[NOT_EVALUATED_EXTERNAL_DATA, "external data"]]);
    expect(plain).toEqual([]);
    expect(bad?.map((v) => v.msg)).toEqual(["bad label"]);
  });
});
