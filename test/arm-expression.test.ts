// ARM template expressions, parsed and evaluated as Azure does before the add-on sees
// details.values (src/core/arm-expression): the grammar, the functions, the errors, validate's
// AZP2050, and the constraint `azpol test`, impact and fix evaluate — including the nested
// values of Microsoft's AllowedUsersGroups ({rule: "[parameters('runAsUserRule')]",
// ranges: "[parameters('runAsUserRanges').ranges]"}), which once reached the template as
// literal strings.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ArmEvaluationError, evaluateArmValue } from "../src/core/arm-expression/evaluate.js";
import { isArmExpression, parseArmExpression, readArmString } from "../src/core/arm-expression/parse.js";
import { buildDefinitions } from "../src/pipeline/build-definitions.js";
import { loadDefinitionInput } from "../src/io/load-definitions.js";
import { readAnywhere } from "../src/io/project-boundary.js";
import { constraintFromPolicy } from "../src/rego/constraint.js";
import { loadEngine } from "../src/rego/engine.js";
import { reviewObjects } from "../src/rego/evaluate.js";
import { TemplateCache } from "../src/rego/template-cache.js";

const root = join(import.meta.dirname, "..");
const scratch = mkdtempSync(join(tmpdir(), "azpol-arm-expr-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const params: Record<string, unknown> = {
  runAsUserRule: "MustRunAsNonRoot",
  runAsUserRanges: { ranges: [{ min: 100, max: 200 }] },
  paths: { paths: [{ pathPrefix: "/data", readOnly: true }] },
  list: ["a", "b", "c"],
  name: "O'Brien",
  flag: true,
};
// ARM parameter names are case-insensitive
const ev = (text: unknown) =>
  evaluateArmValue(text, (n) => {
    const key = Object.keys(params).find((k) => k.toLowerCase() === n.toLowerCase());
    return key !== undefined ? { value: params[key] } : { declared: false };
  });

describe("parse", () => {
  it.each([
    ["parameters('x')", { kind: "call", name: "parameters", args: [{ kind: "string", value: "x" }] }],
    ["parameters('x').y", { kind: "property", name: "y", target: { kind: "call", name: "parameters", args: [{ kind: "string", value: "x" }] } }],
    ["parameters('x')[0]", { kind: "index", index: { kind: "number", value: 0 }, target: { kind: "call", name: "parameters", args: [{ kind: "string", value: "x" }] } }],
    ["concat('it''s', 'x')", { kind: "call", name: "concat", args: [{ kind: "string", value: "it's" }, { kind: "string", value: "x" }] }],
    [" toLower( 'A' ) ", { kind: "call", name: "toLower", args: [{ kind: "string", value: "A" }] }],
  ])("%s", (text, tree) => {
    expect(parseArmExpression(text)).toEqual(tree);
  });

  it.each([["parameters('x'"], ["parameters('x)"], ["parameters('x') junk"], ["'unterminated"], ["parameters('x')."], ["(1)"]])("refuses %s", (text) => {
    expect(() => parseArmExpression(text)).toThrow(/at position \d+/);
  });

  it("'[[' is a literal '[' and only '[...]' is an expression", () => {
    expect(readArmString("[[not an expression]")).toEqual({ literal: "[not an expression]" });
    expect(readArmString("plain [text]")).toEqual({ literal: "plain [text]" });
    expect(isArmExpression("[parameters('x')]")).toBe(true);
    expect(isArmExpression("[[x]")).toBe(false);
  });
});

describe("evaluate", () => {
  it.each<[unknown, unknown]>([
    ["[parameters('runAsUserRule')]", "MustRunAsNonRoot"],
    ["[parameters('runAsUserRanges').ranges]", [{ min: 100, max: 200 }]],
    ["[parameters('RunAsUserRanges').RANGES]", [{ min: 100, max: 200 }]],
    ["[parameters('list')[1]]", "b"],
    ["[parameters('runAsUserRanges')['ranges'][0].max]", 200],
    [{ rule: "[parameters('runAsUserRule')]", ranges: "[parameters('runAsUserRanges').ranges]" }, { rule: "MustRunAsNonRoot", ranges: [{ min: 100, max: 200 }] }],
    [["[parameters('name')]", "literal", "[[escaped]"], ["O'Brien", "literal", "[escaped]"]],
    ["[concat(parameters('list'), createArray('d'))]", ["a", "b", "c", "d"]],
    ["[if(parameters('flag'), 'yes', 'no')]", "yes"],
    ["[toUpper(first(parameters('list')))]", "A"],
    ["[length(parameters('list'))]", 3],
    ["[contains(parameters('list'), 'c')]", true],
    ["[equals('ABC', 'abc')]", true],
    ["[union(parameters('list'), createArray('a', 'z'))]", ["a", "b", "c", "z"]],
    ["[json('{\"a\":1}').a]", 1],
    ["[string(parameters('flag'))]", "true"],
    ["[substring('registry.k8s.io', 0, 8)]", "registry"],
    ["[replace('k8s.gcr.io/pause', 'k8s.gcr.io', 'registry.k8s.io')]", "registry.k8s.io/pause"],
  ])("%j", (text, value) => {
    expect(ev(text)).toEqual(value);
  });

  it.each([
    ["[parameters('paths').path]", /the property 'path' does not exist; it has: paths/],
    ["[parameters('list')[3]]", /index 3 is outside the array of 3/],
    ["[parameters('missing')]", /parameter 'missing' is not declared/],
    ["[resourceId('x', 'y')]", /resourceId\(\) cannot be used in a policy rule/],
    ["[field('type')]", /field\(\) takes its value from Azure/],
    ["[frobnicate(1)]", /frobnicate\(\) is not an ARM template function/],
    ["[toLower(parameters('list'))]", /toLower\(\) expects a string, got array/],
    ["[parameters('x']", /not a valid expression/],
  ])("refuses %s", (text, message) => {
    expect(() => ev(text)).toThrow(ArmEvaluationError);
    expect(() => ev(text)).toThrow(message);
  });
});

// A template that reads the nested values the way Microsoft's allowed-users-groups template does.
const TEMPLATE = `apiVersion: templates.gatekeeper.sh/v1
kind: ConstraintTemplate
metadata:
  name: azpoltestrunasuser
spec:
  crd:
    spec:
      names:
        kind: AzpolTestRunAsUser
      validation:
        openAPIV3Schema:
          type: object
          properties:
            runAsUser:
              type: object
              properties:
                rule:
                  type: string
                ranges:
                  type: array
                  items:
                    type: object
                    properties:
                      min:
                        type: integer
                      max:
                        type: integer
  targets:
    - target: admission.k8s.gatekeeper.sh
      rego: |
        package azpoltestrunasuser
        violation[{"msg": msg}] {
          rule := input.parameters.runAsUser.rule
          rule != "MustRunAsNonRoot"
          rule != "RunAsAny"
          msg := sprintf("unknown rule %v", [rule])
        }
        violation[{"msg": msg}] {
          input.parameters.runAsUser.rule == "MustRunAsNonRoot"
          not input.review.object.spec.securityContext.runAsNonRoot
          msg := "runAsNonRoot is required"
        }
`;

function definition(values: string, parameters = ""): string {
  const dir = join(scratch, `d${Math.random().toString(36).slice(2)}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "template.yaml"), TEMPLATE);
  writeFileSync(
    join(dir, "definition.yaml"),
    `name: run-as-user
displayName: Run as user
description: Nested values, as AllowedUsersGroups passes them.
template:
  path: template.yaml
  source: Base64Encoded
apiGroups: [""]
kinds: [Pod]
parameters:
  runAsUserRule:
    type: String
    allowedValues: [MustRunAs, MustRunAsNonRoot, RunAsAny]
    default: MustRunAsNonRoot
  runAsUserRanges:
    type: Object
    default: {ranges: []}
${parameters}values:
${values}`,
  );
  return join(dir, "definition.yaml");
}
const build = (file: string) => buildDefinitions([loadDefinitionInput(file, readAnywhere(root))], ["arm"]);
const NESTED = `  runAsUser:
    rule: "[parameters('runAsUserRule')]"
    ranges: "[parameters('runAsUserRanges').ranges]"
`;

describe("validate (AZP2050) and the template's types", () => {
  it("accepts AllowedUsersGroups' nested values and type-checks what they evaluate to", () => {
    expect(build(definition(NESTED)).diagnostics).toEqual([]);
  });

  it.each([
    [`  runAsUser:\n    rule: "[parameters('runAsUserRule')]"\n    ranges: "[parameters('runAsUserRanges').range]"\n`, "AZP2050", "/values/runAsUser", /the property 'range' does not exist; it has: ranges/],
    [`  runAsUser: "[resourceId('a')]"\n`, "AZP2050", "/values/runAsUser", /cannot be used in a policy rule/],
    [`  runAsUser: "[parameters('runAsUserRanges').ranges]"\n`, "AZP2008", "/values/runAsUser", /passes array to template parameter 'runAsUser', which is object/],
    [`  runAsUser: "[concat('a']"\n`, "AZP2050", "/values/runAsUser", /not a valid expression/],
  ])("%j", (values, code, pointer, message) => {
    const errors = build(definition(values)).diagnostics.filter((d) => d.severity === "error");
    expect(errors.map((d) => `${d.code} ${d.pointer}`)).toContain(`${code} ${pointer}`);
    expect(errors.map((d) => d.message).join("\n")).toMatch(message);
  });

  it("a value built from a parameter without a default is the assignment's to give", () => {
    const file = definition(`  runAsUser:\n    rule: "[parameters('r')]"\n`, "  r:\n    type: String\n");
    expect(build(file).diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  });
});

describe("the constraint azpol test evaluates", () => {
  let cache: TemplateCache;
  beforeAll(async () => {
    cache = new TemplateCache(await loadEngine());
  });
  const pod = (runAsNonRoot: boolean) => ({ apiVersion: "v1", kind: "Pod", metadata: { name: "p", namespace: "default" }, spec: { securityContext: { runAsNonRoot }, containers: [{ name: "c", image: "nginx" }] } });

  it("holds the evaluated values, not the expressions", () => {
    const model = build(definition(NESTED)).models[0];
    if (!model) throw new Error("no model");
    expect(constraintFromPolicy(model)?.parameters).toEqual({ runAsUser: { rule: "MustRunAsNonRoot", ranges: [] } });
    expect(constraintFromPolicy(model, { runAsUserRule: "RunAsAny", runAsUserRanges: { ranges: [{ min: 1, max: 2 }] } })?.parameters).toEqual({ runAsUser: { rule: "RunAsAny", ranges: [{ min: 1, max: 2 }] } });
  });

  it("passes the Pod Microsoft's samples call good, and denies the one without runAsNonRoot", async () => {
    const model = build(definition(NESTED)).models[0];
    const constraint = model ? constraintFromPolicy(model) : undefined;
    if (!model || !constraint) throw new Error("no constraint");
    const [good, bad] = await reviewObjects(cache, [{ template: model.template, constraint }], [pod(true), pod(false)]);
    expect(good).toEqual([]);
    expect(bad?.map((v) => v.msg)).toEqual(["runAsNonRoot is required"]);
  });
});
