// --scope forms, subscription precedence and the Azure CLI profile (with its BOM).
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { assignmentValues, readParametersDocument } from "../../src/deploy/assignment-values.js";
import { definitionLocation, parseScope } from "../../src/deploy/scope.js";
import { resolveSubscription } from "../../src/deploy/subscription.js";
import { buildDefinitions } from "../../src/pipeline/build-definitions.js";
import { findDefinitionFiles, loadDefinitionInput } from "../../src/io/load-definitions.js";
import { readAnywhere } from "../../src/io/project-boundary.js";

const SUB = "11111111-2222-3333-4444-555555555555";
const OTHER = "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee";
const dir = mkdtempSync(join(tmpdir(), "azpol-profile-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("parseScope", () => {
  it.each([
    ["rg-demo", { kind: "resourceGroup", id: `/subscriptions/${SUB}/resourceGroups/rg-demo` }],
    [`/subscriptions/${OTHER}`, { kind: "subscription", id: `/subscriptions/${OTHER}`, subscriptionId: OTHER }],
    [`/subscriptions/${OTHER}/resourceGroups/rg.x(1)`, { kind: "resourceGroup", subscriptionId: OTHER, resourceGroup: "rg.x(1)" }],
    [`subscriptions/${OTHER}/`, { kind: "subscription", id: `/subscriptions/${OTHER}` }],
    ["mg:platform", { kind: "managementGroup", id: "/providers/Microsoft.Management/managementGroups/platform" }],
    ["/providers/Microsoft.Management/managementGroups/platform", { kind: "managementGroup", managementGroupId: "platform" }],
  ])("%s", (input, expected) => {
    expect(parseScope(input, SUB)).toMatchObject(expected);
  });

  it.each([
    ["/subscriptions/not-a-guid", /is not a GUID/],
    ["rg with space", /resource group name "rg with space" is not valid/],
    ["/subscriptions/x/resourceGroups/rg/providers/Microsoft.Web/sites/s", /is not a scope azpol knows/],
    ["mg:..", /management group name "\.\." is not valid/],
    ["mg:.", /management group name "\." is not valid/],
    ["/providers/Microsoft.Management/managementGroups/..", /management group name "\.\." is not valid/],
    ["mg:prod.", /management group name "prod\." is not valid/],
  ])("rejects %s", (input, message) => {
    expect(() => parseScope(input, SUB)).toThrow(message);
  });

  it("needs a subscription for a bare resource group", () => {
    expect(() => parseScope("rg-demo", undefined)).toThrow(/pass --subscription, set AZURE_SUBSCRIPTION_ID, or run 'az account set'/);
  });

  it("puts definitions at the containing subscription or management group", () => {
    expect(definitionLocation(parseScope("rg-demo", SUB))).toEqual({ subscriptionId: SUB });
    expect(definitionLocation(parseScope("mg:platform", undefined))).toEqual({ managementGroupId: "platform" });
  });
});

describe("resolveSubscription", () => {
  const profile = (subs: object[]) => writeFileSync(join(dir, "azureProfile.json"), `\uFEFF${JSON.stringify({ installationId: "x", subscriptions: subs })}`);
  const env = { AZURE_CONFIG_DIR: dir };

  it("prefers --subscription, then AZURE_SUBSCRIPTION_ID, then the CLI default (BOM-tolerant)", () => {
    profile([{ id: OTHER, name: "Other", isDefault: false }, { id: SUB, name: "Dev", isDefault: true }]);
    expect(resolveSubscription(OTHER, { ...env, AZURE_SUBSCRIPTION_ID: SUB })).toEqual({ subscriptionId: OTHER, source: "--subscription" });
    expect(resolveSubscription(undefined, { ...env, AZURE_SUBSCRIPTION_ID: OTHER })).toEqual({ subscriptionId: OTHER, source: "AZURE_SUBSCRIPTION_ID" });
    expect(resolveSubscription(undefined, env)).toEqual({ subscriptionId: SUB, source: "Azure CLI default" });
    expect(resolveSubscription("other", env)).toEqual({ subscriptionId: OTHER, source: "--subscription" });
  });

  it("explains bad values and is undefined when nothing names one", () => {
    expect(() => resolveSubscription("nope", env)).toThrow(/is not a subscription id, nor a subscription name/);
    expect(() => resolveSubscription(undefined, { ...env, AZURE_SUBSCRIPTION_ID: "x" })).toThrow(/is not a subscription id/);
    expect(resolveSubscription(undefined, { AZURE_CONFIG_DIR: join(dir, "missing") })).toBeUndefined();
  });
});

describe("assignment values", () => {
  const root = join(import.meta.dirname, "..", "..");
  const models = buildDefinitions(findDefinitionFiles(join(root, "definitions")).map((f) => loadDefinitionInput(f, readAnywhere(root))), []).models;

  it("parses --param by type, canonicalizes the effect, and reads ARM parameter files", () => {
    const file = readParametersDocument({ $schema: "x", parameters: { allowedRegistries: { value: ["a.azurecr.io"] } } }, "p.json");
    const values = assignmentValues(models, [{ name: "effect", raw: "audit" }], file);
    expect(values.get("allowed-registries")).toEqual({ effect: "Audit", allowedRegistries: ["a.azurecr.io"] });
    expect(values.get("k8s-gcr-deprecation")).toEqual({ effect: "Audit" });
  });

  it.each([
    [[{ name: "efect", raw: "Deny" }], /nothing assigned has a parameter 'efect'/],
    [[{ name: "effect", raw: "Block" }], /"Block" is not allowed for 'effect'.*use one of: Audit, Deny, Disabled/],
    [[{ name: "allowedRegistries", raw: "https://a.io" }], /registry "https:\/\/a.io" has a scheme/],
    [[{ name: "excludedNamespaces", raw: "[1" }], /is not valid JSON/],
  ])("rejects %j", (overrides, message) => {
    expect(() => assignmentValues(models, overrides, {})).toThrow(message);
  });
});

describe("a scope with its name missing is said so, not called a resource group", () => {
  it.each([
    ["mg:", /names no management group; write mg:<name>/],
    ["/providers/Microsoft.Management/managementGroups/", /names no management group/],
    ["/subscriptions/", /names no subscription; write \/subscriptions\/<id>/],
  ])("%s", (input, message) => {
    expect(() => parseScope(input, "11111111-1111-1111-1111-111111111111")).toThrow(message);
    expect(() => parseScope(input, "11111111-1111-1111-1111-111111111111")).not.toThrow(/resource group/);
  });
});
