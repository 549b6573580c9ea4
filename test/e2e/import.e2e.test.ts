// azpol import turns existing definitions into azpol sources: azpol's own policy.json and
// portal.json round-trip to the same bytes; a PublicURL definition's template is downloaded and
// pinned; the VS Code extension's placeholder-filled output, and a built-in read by id through
// ARM (the fake), are adopted; definitions azpol cannot express are refused with the reason.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, request, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeCertificate } from "../fake-arm/certificate.js";
import { FakeArm } from "../fake-arm/server.js";
import { writeFakeAz } from "../support/fake-az.js";
import { azpolAsync } from "../support/cli.js";
import { matchesCliSchema } from "../support/cli-schemas.js";

const root = join(import.meta.dirname, "..", "..");
const work = mkdtempSync(join(tmpdir(), "azpol-import-"));
const SUB = "44444444-4444-4444-4444-444444444444";
const BUILT_IN = "0a15ec92-a229-4763-bb14-0ea34a568f8d";
const { cert, key } = makeCertificate();
const templateText = readFileSync(join(root, "constraint-templates", "allowed-registries", "template.yaml"), "utf8");
const b64 = (t: string) => Buffer.from(t).toString("base64");
let server: Server;
let base = "";
const golden = (path: string) => JSON.parse(readFileSync(join(root, path), "utf8")) as { properties: Record<string, unknown> };
const builtIn = { ...golden("definitions/allowed-registries/golden/policy.json").properties, displayName: "Kubernetes cluster containers should only use allowed images", metadata: { version: "9.1.0", category: "Kubernetes" } };
const arm = new FakeArm({ subscriptions: [SUB], builtIns: { [BUILT_IN]: builtIn } });

beforeAll(async () => {
  server = createServer({ cert, key }, (req, res) => (req.url === "/t.yaml" ? res.writeHead(200).end(templateText) : res.writeHead(404).end()));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  await arm.start();
  writeFileSync(join(work, "ca.pem"), cert + arm.cert);
  writeFakeAz(join(work, "bin"), SUB, join(work, "az.log"));
});
afterAll(async () => {
  server.close();
  await arm.stop();
  rmSync(work, { recursive: true, force: true });
});

const env = { NODE_EXTRA_CA_CERTS: join(work, "ca.pem"), PATH: `${join(work, "bin")}:${process.env.PATH ?? ""}`, AZURE_TOKEN_CREDENTIALS: "AzureCliCredential", AZPOL_ARM_ENDPOINT: "", AZPOL_ARM_CA_FILE: join(work, "ca.pem") };
let n = 0;
/** a fresh project with `file` in it; runs import, then build */
/** Stores a resource in the fake ARM as a client would (PUT), answering the status code. */
function put(path: string, body: unknown): Promise<number> {
  return new Promise<number>((done, fail) => {
    const req = request(`${arm.endpoint}${path}?api-version=2023-04-01`, { method: "PUT", ca: arm.cert, headers: { "content-type": "application/json", authorization: "Bearer t" } }, (res) => {
      res.resume();
      res.on("end", () => done(res.statusCode ?? 0));
    });
    req.on("error", fail);
    req.end(JSON.stringify(body));
  });
}

async function importAndBuild(doc: unknown, args: string[] = []) {
  const project = join(work, `p${n++}`);
  mkdirSync(project);
  writeFileSync(join(project, "in.json"), JSON.stringify(doc, null, 2));
  const imported = await azpolAsync(["import", "in.json", "--json", ...args], { cwd: project, env: { ...env, AZPOL_ARM_ENDPOINT: arm.endpoint } });
  if (imported.status === 0) matchesCliSchema("import", JSON.parse(imported.stdout));
  const built = imported.status === 0 ? await azpolAsync(["build", "--json"], { cwd: project, env }) : undefined;
  return { project, imported, built };
}

describe("azpol import", () => {
  it.each(["definitions/k8s-gcr-deprecation/golden/policy.json", "definitions/allowed-registries/golden/policy.json"])("%s round-trips to the same policy.json", async (path) => {
    const { project, imported, built } = await importAndBuild(golden(path), ["--name", "round-trip"]);
    expect(imported.status, imported.stderr).toBe(0);
    expect(built?.status, built?.stderr).toBe(0);
    expect(JSON.parse(readFileSync(join(project, "out", "round-trip", "policy.json"), "utf8"))).toEqual(golden(path));
  });

  it("portal.json round-trips to the same portal.json (the name comes from --name)", async () => {
    const portal = JSON.parse(readFileSync(join(root, "definitions", "k8s-gcr-deprecation", "golden", "portal.json"), "utf8")) as unknown;
    const { project, built } = await importAndBuild(portal, ["--name", "from-portal"]);
    expect(built?.status).toBe(0);
    expect(JSON.parse(readFileSync(join(project, "out", "from-portal", "portal.json"), "utf8"))).toEqual(portal);
  });

  it("a PublicURL definition: downloads the template, pins its sha256, and builds the same policy.json", async () => {
    const doc = golden("test/fixtures/definitions/public-url/golden/policy.json");
    const details = ((doc.properties.policyRule as { then: { details: { templateInfo: { url: string } } } }).then.details);
    details.templateInfo.url = `${base}/t.yaml`;
    const { project, imported, built } = await importAndBuild(doc, ["--name", "team-a-allowed-registries"]);
    expect(imported.status, imported.stderr).toBe(0);
    const source = parse(readFileSync(join(project, "definitions", "team-a-allowed-registries", "definition.yaml"), "utf8")) as { template: Record<string, string> };
    expect(source.template).toMatchObject({ source: "PublicURL", url: `${base}/t.yaml` });
    expect(source.template.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(readFileSync(join(project, "constraint-templates", "k8sazpolallowedregistries", "template.yaml"), "utf8")).toBe(templateText);
    expect(built?.status, built?.stderr).toBe(0);
    expect(JSON.parse(readFileSync(join(project, "out", "team-a-allowed-registries", "policy.json"), "utf8"))).toEqual(doc);
  });

  it("the VS Code extension's output: placeholders count as missing, types are normalized, and lowercase effects and AKS-only targeting are kept as written", async () => {
    const extension = {
      properties: {
        policyType: "Custom",
        mode: "Microsoft.Kubernetes.Data",
        displayName: "/* EDIT HERE */",
        description: "/* EDIT HERE */",
        policyRule: {
          if: { field: "type", in: ["Microsoft.ContainerService/managedClusters"] },
          then: {
            effect: "[parameters('effect')]",
            details: {
              templateInfo: { sourceType: "Base64Encoded", content: b64(templateText) },
              apiGroups: [""],
              kinds: ["Pod"],
              values: { registries: "[parameters('registries')]", message: "use our registry" },
            },
          },
        },
        parameters: {
          effect: { type: "String", defaultValue: "audit", allowedValues: ["audit", "deny", "disabled"], metadata: { displayName: "Effect" } },
          registries: { type: "array", defaultValue: ["contoso.azurecr.io"], metadata: { displayName: "/* EDIT HERE */" } },
        },
      },
    };
    const { project, imported, built } = await importAndBuild(extension, ["--name", "from-extension"]);
    expect(imported.status, imported.stderr).toBe(0);
    expect((JSON.parse(imported.stdout) as { notes: string[] }).notes).toEqual([expect.stringMatching(/^the original passes no excludedNamespaces; azpol passes the ones the add-on always excludes/)]);
    const source = parse(readFileSync(join(project, "definitions", "from-extension", "definition.yaml"), "utf8")) as Record<string, unknown>;
    expect(source).toMatchObject({ name: "from-extension", displayName: "from-extension", effect: "audit", effects: ["audit", "deny", "disabled"], clusterTypes: ["Microsoft.ContainerService/managedClusters"], kinds: ["Pod"], values: { message: "use our registry" }, parameters: { registries: { type: "Array", templateParameter: "registries", default: ["contoso.azurecr.io"] } } });
    expect(built?.status, built?.stderr).toBe(0);
  });

  it("asks for --name when the file does not carry one", async () => {
    const { imported } = await importAndBuild(golden("definitions/k8s-gcr-deprecation/golden/policy.json"));
    expect(imported.status).toBe(2);
    expect(imported.stderr).toMatch(/does not say the definition's name .*; pass --name/);
  });

  it("an initiative's policyset.json needs its members imported first, and names the missing ones", async () => {
    const { imported } = await importAndBuild(golden("initiatives/trusted-images/golden/policyset.json"), ["--name", "set"]);
    expect(imported.status).toBe(1);
    expect(imported.stderr).toMatch(/import these member definitions first .*: allowed-registries, k8s-gcr-deprecation/);
  });

  // the same class as audit-builtins finding 1, for policy sets: unknown keys were dropped in silence
  it("an initiative's policyset.json with a field azpol cannot keep is refused, naming each by its JSON path", async () => {
    const doc = golden("initiatives/trusted-images/golden/policyset.json");
    const props = doc.properties as { policyDefinitions: Record<string, unknown>[]; parameters: Record<string, Record<string, unknown>> } & Record<string, unknown>;
    props.futureSetting = true;
    const [first] = props.policyDefinitions;
    if (first) first.futureMemberKey = "x";
    const [parameter] = Object.keys(props.parameters);
    if (parameter) props.parameters[parameter] = { ...props.parameters[parameter], futureField: 1 };
    const { imported } = await importAndBuild(doc, ["--name", "set"]);
    expect(imported.status).toBe(1);
    expect(imported.stderr).toMatch(/properties\.futureSetting is not a field azpol's initiative source can keep/);
    expect(imported.stderr).toMatch(/properties\.policyDefinitions\[0\]\.futureMemberKey is not a field/);
    expect(imported.stderr).toMatch(new RegExp(`properties\\.parameters\\.${parameter ?? ""}\\.futureField is not a field`));
  });

  it("an initiative imports as initiative.yaml over its imported members (parameters, reference ids and definitionVersion kept) and builds", async () => {
    const project = join(work, `p${n++}`);
    mkdirSync(project);
    const run = (args: string[]) => azpolAsync(args, { cwd: project, env });
    for (const member of ["allowed-registries", "k8s-gcr-deprecation"]) {
      writeFileSync(join(project, `${member}.json`), JSON.stringify(golden(`definitions/${member}/golden/policy.json`)));
      const r = await run(["import", `${member}.json`, "--name", member]);
      expect(r.status, r.stderr).toBe(0);
    }
    const set = golden("initiatives/trusted-images/golden/policyset.json");
    const members = set.properties.policyDefinitions as Record<string, unknown>[];
    if (members[0]) members[0].definitionVersion = "1.*.*";
    writeFileSync(join(project, "set.json"), JSON.stringify(set));
    // a pin needs the member's own definition version
    const unversioned = await run(["import", "set.json", "--name", "trusted-images", "--json"]);
    expect(unversioned.status).toBe(1);
    expect(unversioned.stderr).toMatch(/definitionVersion pins 'allowed-registries'.*set versioned: true/);
    delete members[0]?.definitionVersion;
    writeFileSync(join(project, "set.json"), JSON.stringify(set));
    const imported = await run(["import", "set.json", "--name", "trusted-images", "--json"]);
    expect(imported.status, imported.stderr).toBe(0);
    const out = JSON.parse(imported.stdout) as { initiative: string; members: string[] };
    matchesCliSchema("import", out);
    expect(out.members).toEqual(["allowed-registries", "k8s-gcr-deprecation"]);
    const built = await run(["build", "--format", "arm"]);
    expect(built.status, built.stderr).toBe(0);
    const rebuilt = JSON.parse(readFileSync(join(project, "out", "trusted-images", "policyset.json"), "utf8")) as { properties: Record<string, unknown> };
    const original = golden("initiatives/trusted-images/golden/policyset.json").properties;
    expect(rebuilt.properties.policyDefinitions).toEqual(original.policyDefinitions);
    expect(rebuilt.properties.parameters).toEqual(original.parameters);
  });

  it("a policy set (initiative) read by id through ARM imports over its imported members", async () => {
    const project = join(work, "set-by-id");
    mkdirSync(project);
    const location = `/subscriptions/${SUB}`;
    for (const member of ["allowed-registries", "k8s-gcr-deprecation"]) {
      expect(await put(`${location}/providers/Microsoft.Authorization/policyDefinitions/${member}`, golden(`definitions/${member}/golden/policy.json`))).toBe(201);
      writeFileSync(join(project, `${member}.json`), JSON.stringify(golden(`definitions/${member}/golden/policy.json`)));
      const r = await azpolAsync(["import", `${member}.json`, "--name", member], { cwd: project, env });
      expect(r.status, r.stderr).toBe(0);
    }
    const set = JSON.parse(JSON.stringify(golden("initiatives/trusted-images/golden/policyset.json")).replaceAll("{definitionLocation}", location)) as { properties: Record<string, unknown> };
    const id = `${location}/providers/Microsoft.Authorization/policySetDefinitions/trusted-images`;
    expect(await put(id, set)).toBe(201);
    const imported = await azpolAsync(["import", id, "--json"], { cwd: project, env: { ...env, AZPOL_ARM_ENDPOINT: arm.endpoint } });
    expect(imported.status, imported.stderr).toBe(0);
    expect((JSON.parse(imported.stdout) as { members: string[] }).members).toEqual(["allowed-registries", "k8s-gcr-deprecation"]);
    expect(arm.requests.some((r) => r.method === "GET" && r.path === id && r.authorization)).toBe(true);
    const built = await azpolAsync(["build", "--format", "arm"], { cwd: project, env });
    expect(built.status, built.stderr).toBe(0);
    const rebuilt = JSON.parse(readFileSync(join(project, "out", "trusted-images", "policyset.json"), "utf8")) as { properties: Record<string, unknown> };
    const original = golden("initiatives/trusted-images/golden/policyset.json").properties;
    expect(rebuilt.properties.policyDefinitions).toEqual(original.policyDefinitions);
    expect(rebuilt.properties.parameters).toEqual(original.parameters);
    const missing = await azpolAsync(["import", `${location}/providers/Microsoft.Authorization/policySetDefinitions/nope`], { cwd: project, env: { ...env, AZPOL_ARM_ENDPOINT: arm.endpoint } });
    expect(missing.stderr).toMatch(/was not found/);
  });

  it("a policy set read by id imports with its members: those not yet imported are read from Azure by their ids, checked, then written", async () => {
    const project = join(work, "set-by-id-with-members");
    mkdirSync(project);
    const location = `/subscriptions/${SUB}`;
    const memberIds = ["allowed-registries", "k8s-gcr-deprecation"].map((m) => `${location}/providers/Microsoft.Authorization/policyDefinitions/${m}`);
    for (const [i, m] of ["allowed-registries", "k8s-gcr-deprecation"].entries()) expect(await put(memberIds[i] as string, golden(`definitions/${m}/golden/policy.json`))).toBe(201);
    const set = JSON.parse(JSON.stringify(golden("initiatives/trusted-images/golden/policyset.json")).replaceAll("{definitionLocation}", location)) as { properties: Record<string, unknown> };
    const id = `${location}/providers/Microsoft.Authorization/policySetDefinitions/trusted-images-members`;
    expect(await put(id, set)).toBe(201);
    // one member is imported already: only the other is read
    writeFileSync(join(project, "allowed-registries.json"), JSON.stringify(golden("definitions/allowed-registries/golden/policy.json")));
    expect((await azpolAsync(["import", "allowed-registries.json", "--name", "allowed-registries"], { cwd: project, env })).status).toBe(0);
    const before = arm.requests.length;
    const signIns = () => (existsSync(join(work, "az.log")) ? readFileSync(join(work, "az.log"), "utf8").split("\n").filter((l) => l.includes("get-access-token")).length : 0);
    const signedInBefore = signIns();
    const imported = await azpolAsync(["import", id, "--json"], { cwd: project, env: { ...env, AZPOL_ARM_ENDPOINT: arm.endpoint } });
    expect(imported.status, imported.stderr).toBe(0);
    const out = JSON.parse(imported.stdout) as { members: string[]; importedMembers: { definition: string }[] };
    expect(matchesCliSchema("import", out)).toBe(true);
    expect(out.members).toEqual(["allowed-registries", "k8s-gcr-deprecation"]);
    expect(out.importedMembers.map((m) => m.definition)).toEqual([join("definitions", "k8s-gcr-deprecation", "definition.yaml")]);
    const gets = arm.requests.slice(before).filter((r) => r.method === "GET").map((r) => r.path);
    expect(gets).toContain(memberIds[1]);
    expect(gets).not.toContain(memberIds[0]);
    // the set and its member are read over one connection: one sign-in
    expect(signIns() - signedInBefore).toBe(1);
    const built = await azpolAsync(["build", "--format", "arm"], { cwd: project, env });
    expect(built.status, built.stderr).toBe(0);
    const rebuilt = JSON.parse(readFileSync(join(project, "out", "trusted-images-members", "policyset.json"), "utf8")) as { properties: Record<string, unknown> };
    expect(rebuilt.properties.policyDefinitions).toEqual(golden("initiatives/trusted-images/golden/policyset.json").properties.policyDefinitions);
    expect(JSON.parse(readFileSync(join(project, "out", "k8s-gcr-deprecation", "policy.json"), "utf8"))).toEqual(golden("definitions/k8s-gcr-deprecation/golden/policy.json"));

    // a member azpol cannot express: nothing at all is written
    const bad = join(work, "set-by-id-bad-member");
    mkdirSync(bad);
    const indexed = `${location}/providers/Microsoft.Authorization/policyDefinitions/indexed-member`;
    const gcr = golden("definitions/k8s-gcr-deprecation/golden/policy.json");
    expect(await put(indexed, { ...gcr, properties: { ...gcr.properties, mode: "Indexed" } })).toBe(201);
    const badSet = structuredClone(set);
    (badSet.properties.policyDefinitions as { policyDefinitionId: string }[])[1] = { ...(badSet.properties.policyDefinitions as { policyDefinitionId: string }[])[1], policyDefinitionId: indexed };
    const badId = `${location}/providers/Microsoft.Authorization/policySetDefinitions/bad-member`;
    expect(await put(badId, badSet)).toBe(201);
    const refused = await azpolAsync(["import", badId], { cwd: bad, env: { ...env, AZPOL_ARM_ENDPOINT: arm.endpoint } });
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(/member .*indexed-member cannot be imported, so nothing was written/);
    expect(readdirSync(bad)).toEqual([]);
  });

  it("a built-in read by id through ARM (DefaultAzureCredential, the fake ARM)", async () => {
    const project = join(work, "builtin");
    mkdirSync(project);
    const run = await azpolAsync(["import", `/providers/Microsoft.Authorization/policyDefinitions/${BUILT_IN}`, "--name", "allowed-images"], { cwd: project, env: { ...env, AZPOL_ARM_ENDPOINT: arm.endpoint } });
    expect(run.status, run.stderr).toBe(0);
    const source = parse(readFileSync(join(project, "definitions", "allowed-images", "definition.yaml"), "utf8")) as Record<string, unknown>;
    expect(source).toMatchObject({ displayName: builtIn.displayName, version: "9.1.0" });
    expect(arm.requests.some((r) => r.path === `/providers/Microsoft.Authorization/policyDefinitions/${BUILT_IN}` && r.authorization)).toBe(true);
    const missing = await azpolAsync(["import", "/providers/Microsoft.Authorization/policyDefinitions/nope"], { cwd: project, env: { ...env, AZPOL_ARM_ENDPOINT: arm.endpoint } });
    expect(missing.stderr).toMatch(/was not found/);
  });

  it("reading by id checks the ARM endpoint and CA file as deploy does (the shared ARM connection): usage errors naming them, nothing read", async () => {
    const project = join(work, "arm-settings");
    mkdirSync(project);
    const id = `/providers/Microsoft.Authorization/policyDefinitions/${BUILT_IN}`;
    const before = arm.requests.length;
    const noCa = await azpolAsync(["import", id], { cwd: project, env: { ...env, AZPOL_ARM_ENDPOINT: arm.endpoint, AZPOL_ARM_CA_FILE: join(work, "no-such-ca.pem") } });
    expect(noCa.status).toBe(2);
    expect(noCa.stderr).toMatch(/AZPOL_ARM_CA_FILE: .*no-such-ca\.pem/);
    const http = await azpolAsync(["import", id], { cwd: project, env: { ...env, AZPOL_ARM_ENDPOINT: "http://127.0.0.1:9" } });
    expect(http.status).toBe(2);
    expect(http.stderr).toMatch(/AZPOL_ARM_ENDPOINT must be an https:\/\/ URL/);
    expect(arm.requests.length).toBe(before);
    expect(readdirSync(project)).toEqual([]);
  });

  // audit-builtins finding 1: these were dropped with exit 0 and no note
  it("refuses a definition field or parameter key it cannot carry, naming each by its JSON path, and writes nothing", async () => {
    const doc = golden("definitions/allowed-registries/golden/policy.json");
    const props = doc.properties as { parameters: Record<string, Record<string, unknown>> } & Record<string, unknown>;
    props.externalEvaluationEnforcementSettings = { missingTokenAction: "Deny", endpointSettings: { kind: "CoinFlip" } };
    props.parameters.effect = { ...props.parameters.effect, futureField: 1 };
    const { project, imported } = await importAndBuild(doc, ["--name", "lossy"]);
    expect(imported.status).toBe(1);
    expect(imported.stderr).toMatch(/properties\.externalEvaluationEnforcementSettings is a policy definition field \(api-version 2025-03-01\)/);
    expect(imported.stderr).toMatch(/properties\.parameters\.effect\.futureField is not a parameter field azpol knows/);
    expect(readdirSync(project)).toEqual(["in.json"]);
  });

  // audit-builtins finding 2: 9007199254740993 became ...992 with the round trip passing
  it("refuses an integer beyond 2^53 in the imported file at its line and column", async () => {
    const project = join(work, "big-int");
    mkdirSync(project);
    const doc = golden("definitions/allowed-registries/golden/policy.json");
    (doc.properties.parameters as Record<string, unknown>).big = { type: "Integer", defaultValue: 1234, metadata: { displayName: "big" } };
    const text = JSON.stringify(doc, null, 2).replace('"defaultValue": 1234', '"defaultValue": 9007199254740993');
    writeFileSync(join(project, "in.json"), text);
    const imported = await azpolAsync(["import", "in.json", "--name", "big"], { cwd: project, env });
    expect(imported.status).not.toBe(0);
    const line = text.split("\n").findIndex((l) => l.includes("9007199254740993")) + 1;
    expect(imported.stderr).toMatch(new RegExp(`line ${line}: the integer 9007199254740993 is beyond ±2\\^53`));
    expect(readdirSync(project)).toEqual(["in.json"]);
  });

  // audit-builtins finding 5: Microsoft ships ReplicationController under ["apps"]
  // (ContainerEnforcePreStopHook); AZP2017 blocked the import although Azure accepts it
  it("imports a built-in listing a kind outside its apiGroups, and build warns (AZP2017) instead of refusing", async () => {
    const doc = golden("definitions/allowed-registries/golden/policy.json");
    const details = (doc.properties.policyRule as { then: { details: Record<string, unknown> } }).then.details;
    details.apiGroups = ["apps"];
    details.kinds = ["Deployment", "ReplicationController"];
    const { project, imported, built } = await importAndBuild(doc, ["--name", "rc-in-apps"]);
    expect(imported.status, imported.stderr).toBe(0);
    expect(built?.status, built?.stderr).toBe(0);
    expect(built?.stdout + (built?.stderr ?? "")).toMatch(/AZP2017/);
    expect(JSON.parse(readFileSync(join(project, "out", "rc-in-apps", "policy.json"), "utf8"))).toEqual(doc);
  });

  // audit-builtins finding 6: import wrote (exit 0) sources that validate then refused
  it("refuses a template that does not compile (AZP3007), as validate would, and writes nothing", async () => {
    const doc = golden("definitions/allowed-registries/golden/policy.json");
    const details = (doc.properties.policyRule as { then: { details: { templateInfo: { content: string } } } }).then.details;
    details.templateInfo.content = b64(templateText.replace("        package k8sazpolallowedregistries\n", "        package k8sazpolallowedregistries\n        this is not rego {\n"));
    const { project, imported } = await importAndBuild(doc, ["--name", "bad-rego"]);
    expect(imported.status).toBe(1);
    expect(imported.stderr).toMatch(/would not validate, so nothing was written: AZP3007 template k8sazpolallowedregistries does not compile/);
    expect(readdirSync(project)).toEqual(["in.json"]);
  });

  it("refuses a mutator Gatekeeper refuses (a name over 63 characters, AZP3014), as validate would, and writes nothing", async () => {
    const project = join(work, "long-mutator");
    mkdirSync(project);
    const mutator = readFileSync(join(root, "test", "fixtures", "definitions", "mutation", "mutation.yaml"), "utf8").replace("name: azpol-drop-all-capabilities", `name: ${"m".repeat(66)}`);
    writeFileSync(join(project, "mutation.yaml"), mutator);
    writeFileSync(join(project, "in.json"), JSON.stringify(golden("test/fixtures/definitions/mutation/golden/policy.json")));
    const imported = await azpolAsync(["import", "in.json", "--name", "long", "--template", "mutation.yaml"], { cwd: project, env });
    expect(imported.stderr).toMatch(/would not validate, so nothing was written: AZP3014 Gatekeeper refuses the mutator/);
    expect(imported.status).toBe(1);
    expect(readdirSync(project).sort()).toEqual(["in.json", "mutation.yaml"]);
  });

  // audit-builtins finding 9: a template that cannot be downloaded exited 1 ("not importable"), not 3
  it("a template that cannot be downloaded is a network error (exit 3), and nothing is written", async () => {
    const doc = golden("test/fixtures/definitions/public-url/golden/policy.json");
    (doc.properties.policyRule as { then: { details: { templateInfo: { url: string } } } }).then.details.templateInfo.url = `${base}/missing.yaml`;
    const { project, imported } = await importAndBuild(doc, ["--name", "no-template"]);
    expect(imported.stderr).toMatch(/cannot download the template/);
    expect(imported.status).toBe(3);
    expect(readdirSync(project)).toEqual(["in.json"]);
  });

  // audit-builtins findings 4 and 9: warn with allowedValues [true, false] (ContainerAllowedImages
  // 9.2.0 and three more built-ins) and a parameter without metadata were refused; Azure accepts both
  it("imports warn with allowedValues [true, false] and a parameter without metadata, noting what the build writes differently", async () => {
    const doc = golden("definitions/allowed-registries/golden/policy.json");
    const props = doc.properties as { parameters: Record<string, Record<string, unknown>>; policyRule: { then: { details: Record<string, unknown> } } };
    props.parameters = { warn: { type: "Boolean", metadata: { displayName: "Warn", description: "Whether or not to return warnings back to the user in the kubectl cli" }, allowedValues: [true, false], defaultValue: false }, ...props.parameters };
    props.policyRule.then.details.warn = "[parameters('warn')]";
    const message = props.parameters.message as Record<string, unknown>;
    delete message.metadata;
    const { project, imported, built } = await importAndBuild(doc, ["--name", "warn-pair"]);
    expect(imported.status, imported.stderr).toBe(0);
    const notes = (JSON.parse(imported.stdout) as { notes: string[] }).notes;
    expect(notes).toContainEqual(expect.stringMatching(/the warn parameter's allowedValues \[true, false\] is not written/));
    expect(notes).toContainEqual(expect.stringMatching(/parameter 'message' has no metadata/));
    expect(readFileSync(join(project, "definitions", "warn-pair", "definition.yaml"), "utf8")).toMatch(/^# note: the warn parameter's allowedValues \[true, false\] is not written/m);
    expect(built?.status, built?.stderr).toBe(0);
    const out = JSON.parse(readFileSync(join(project, "out", "warn-pair", "policy.json"), "utf8")) as typeof doc;
    const outParameters = out.properties.parameters as Record<string, Record<string, unknown>>;
    expect(outParameters.warn).toMatchObject({ type: "Boolean", defaultValue: false });
    expect(outParameters.message).toMatchObject({ type: message.type, defaultValue: message.defaultValue, metadata: { displayName: "message" } });
    expect(out.properties.policyRule).toEqual(doc.properties.policyRule);
  });

  it.each([
    ["an Indexed definition", { properties: { mode: "Indexed", policyRule: { if: {}, then: { effect: "audit" } } } }, /only Kubernetes definitions/],
    ["the retired v1 format", { properties: { mode: "Microsoft.Kubernetes.Data", policyRule: { if: {}, then: { effect: "EnforceOPAConstraint", details: { constraintTemplate: "https://x/t.yaml", constraint: "https://x/c.yaml" } } } } }, /retired v1 format/],
    ["a file that is not a definition", { hello: "world" }, /no policyRule found/],
  ])("refuses %s, saying why", async (_, doc, message) => {
    const { imported } = await importAndBuild(doc, ["--name", "x"]);
    expect(imported.status).toBe(1);
    expect(imported.stdout + imported.stderr).toMatch(message);
  });
});
