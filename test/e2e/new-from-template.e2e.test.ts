// azpol new --from-template turns any ConstraintTemplate into a definition source that passes
// validate and build unchanged: the 31 generated templates of the gator differential (Rego v0 and
// v1, libs, CEL only, both engines, integer, array and array-of-object parameters, ...), one with
// an object parameter, an enum, a default and a standard name, one with samples, and one from an
// https URL (pinned by sha256). A template that needs synced data is refused.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse, stringify } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FAMILIES, templateOf } from "../../scripts/gator-corpus/write-corpus.js";
import { makeCertificate } from "../fake-arm/certificate.js";
import { azpolAsync } from "../support/cli.js";
import { matchesCliSchema } from "../support/cli-schemas.js";

const project = mkdtempSync(join(tmpdir(), "azpol-from-template-"));
const { cert, key } = makeCertificate();
let server: Server;
let base = "";
afterAll(() => {
  server.close();
  rmSync(project, { recursive: true, force: true });
});

const custom = {
  apiVersion: "templates.gatekeeper.sh/v1beta1",
  kind: "ConstraintTemplate",
  metadata: { name: "k8scustomshapes", annotations: { "metadata.gatekeeper.sh/title": "Custom shapes", description: "Checks  several\nshapes." } },
  spec: {
    crd: {
      spec: {
        names: { kind: "K8sCustomShapes" },
        validation: {
          openAPIV3Schema: {
            type: "object",
            properties: {
              limits: { type: "object", description: "Per-resource limits.", properties: { cpu: { type: "string" }, replicas: { type: "integer" } }, "x-kubernetes-preserve-unknown-fields": true },
              mode: { type: "string", enum: ["strict", "lenient"], default: "strict" },
              namespaces: { type: "array", items: { type: "string" } },
              ratio: { type: "number" },
              enabled: { type: "boolean", default: true },
              anything: { "x-kubernetes-int-or-string": true },
            },
          },
        },
      },
    },
    targets: [{ target: "admission.k8s.gatekeeper.sh", rego: 'package k8scustomshapes\nviolation[{"msg": "x"}] { input.parameters.enabled; false }\n' }],
  },
};

beforeAll(async () => {
  mkdirSync(join(project, "templates"));
  for (const f of FAMILIES) {
    mkdirSync(join(project, "templates", f.kind.toLowerCase()));
    writeFileSync(join(project, "templates", f.kind.toLowerCase(), "template.yaml"), stringify(templateOf(f)));
  }
  mkdirSync(join(project, "templates", "k8scustomshapes", "samples", "ns-must-have-owner"), { recursive: true });
  writeFileSync(join(project, "templates", "k8scustomshapes", "template.yaml"), stringify(custom));
  writeFileSync(join(project, "templates", "k8scustomshapes", "samples", "ns-must-have-owner", "constraint.yaml"), stringify({ apiVersion: "constraints.gatekeeper.sh/v1beta1", kind: "K8sCustomShapes", metadata: { name: "c" }, spec: { match: { kinds: [{ apiGroups: [""], kinds: ["Namespace"] }] } } }));
  server = createServer({ cert, key }, (req, res) => {
    if (req.url === "/hosted.yaml") res.writeHead(200).end(stringify(templateOf(FAMILIES[0] as never)).replace(/k8srequiredlabelsv0/g, "k8shostedlabels").replace(/K8sRequiredLabelsV0/g, "K8sHostedLabels"));
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  writeFileSync(join(project, "ca.pem"), cert);
});

const env = () => ({ NODE_EXTRA_CA_CERTS: join(project, "ca.pem") });
const azpol = (args: string[]) => azpolAsync(args, { cwd: project, env: env() });

describe("azpol new --from-template", () => {
  it("makes a source for each generated template that validate and build take unchanged", async () => {
    const refused: string[] = [];
    // four at a time: each is one short CLI run
    for (let i = 0; i < FAMILIES.length; i += 4) {
      await Promise.all(
        FAMILIES.slice(i, i + 4).map(async (f) => {
          const run = await azpol(["new", "--from-template", `templates/${f.kind.toLowerCase()}/template.yaml`, "--json"]);
          if (run.status !== 0) refused.push(`${f.kind}: ${run.stderr.trim()}`);
        }),
      );
    }
    // the one template that reads data.inventory is refused: Azure blocks synced data
    expect(refused).toEqual([expect.stringMatching(/^K8sUniqueServiceSelector: .*requires synced data/)]);
    const validate = await azpol(["validate", "--json"]);
    const diagnostics = (JSON.parse(validate.stdout) as { files: number; diagnostics: { code: string; severity: string; file: string; message: string }[] });
    expect(diagnostics.files).toBe(FAMILIES.length - 1);
    // a template with both engines is judged by its CEL: that warning is the template's, not the source's
    expect(diagnostics.diagnostics.filter((d) => d.code !== "AZP3009")).toEqual([]);
    expect(validate.status).toBe(0);
    const build = await azpol(["build", "--json"]);
    expect(build.status, build.stderr).toBe(0);
  }, 120_000);

  it("maps integer, array and array-of-object parameters", () => {
    const params = (name: string) => (parse(readFileSync(join(project, "definitions", name, "definition.yaml"), "utf8")) as { parameters: Record<string, { type: string; templateParameter: string }> }).parameters;
    expect(params("k8smaxreplicas").max).toMatchObject({ type: "Integer", templateParameter: "max" });
    expect(params("k8sallowedports").allowed).toMatchObject({ type: "Array", templateParameter: "allowed" });
    expect(params("k8scelarrayofobjects").limits).toMatchObject({ type: "Array", templateParameter: "limits" });
  });

  it("maps objects (with a schema), enums, defaults and a standard name, takes kinds from the samples, and names what it cannot map", async () => {
    const run = await azpol(["new", "--from-template", "templates/k8scustomshapes/template.yaml", "--json"]);
    expect(run.status, run.stderr).toBe(0);
    const out = JSON.parse(run.stdout) as { kindsFrom: string; skipped: string[] };
    matchesCliSchema("new", out);
    expect(out.kindsFrom).toBe("samples");
    expect(out.skipped).toEqual([expect.stringMatching(/^anything: type "\(none\)" has no Azure parameter type/)]);
    const source = parse(readFileSync(join(project, "definitions", "k8scustomshapes", "definition.yaml"), "utf8")) as Record<string, unknown>;
    expect(source).toMatchObject({ displayName: "Custom shapes", description: "Checks several shapes.", apiGroups: [""], kinds: ["Namespace"], effect: "Audit" });
    expect(source.parameters).toEqual({
      limits: { type: "Object", displayName: "Limits", description: "Per-resource limits.", templateParameter: "limits", schema: { type: "object", description: "Per-resource limits.", properties: { cpu: { type: "string" }, replicas: { type: "integer" } } } },
      mode: { type: "String", displayName: "Mode", description: "The template's mode parameter.", default: "strict", allowedValues: ["strict", "lenient"], templateParameter: "mode" },
      namespacesParameter: { type: "Array", displayName: "Namespaces", description: "The template's namespaces parameter.", templateParameter: "namespaces" },
      ratio: { type: "Float", displayName: "Ratio", description: "The template's ratio parameter.", templateParameter: "ratio" },
      enabled: { type: "Boolean", displayName: "Enabled", description: "The template's enabled parameter.", default: true, templateParameter: "enabled" },
    });
    const validate = await azpol(["validate", "definitions/k8scustomshapes", "--json"]);
    expect(JSON.parse(validate.stdout)).toMatchObject({ ok: true, diagnostics: [] });
  });

  it("from an https URL: keeps a copy, points the source at the URL with its sha256, and validate --online agrees", async () => {
    const run = await azpol(["new", "--from-template", `${base}/hosted.yaml`, "--kinds", "Pod,apps/Deployment", "--json"]);
    expect(run.status, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ template: "constraint-templates/k8shostedlabels/template.yaml", kindsFrom: "--kinds" });
    const source = parse(readFileSync(join(project, "definitions", "k8shostedlabels", "definition.yaml"), "utf8")) as { template: Record<string, string>; apiGroups: string[]; kinds: string[] };
    expect(source.template).toMatchObject({ source: "PublicURL", url: `${base}/hosted.yaml`, path: "../../constraint-templates/k8shostedlabels/template.yaml" });
    expect(source.template.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect([source.apiGroups, source.kinds]).toEqual([["", "apps"], ["Pod", "Deployment"]]);
    const validate = await azpol(["validate", "definitions/k8shostedlabels", "--online", "--json"]);
    expect(JSON.parse(validate.stdout)).toMatchObject({ ok: true, diagnostics: [] });
  });

  it("refuses a bad --kinds, a second scaffold of the same name, and a file that is not a template", async () => {
    expect((await azpol(["new", "--from-template", "templates/k8scustomshapes/template.yaml", "--kinds", "pods"])).stderr).toMatch(/"pods" is not a Kind/);
    expect((await azpol(["new", "--from-template", "templates/k8scustomshapes/template.yaml"])).stderr).toMatch(/already exists; pass --force/);
    writeFileSync(join(project, "not-a-template.yaml"), "kind: Pod\napiVersion: v1\nmetadata: {name: p}\n");
    const bad = await azpol(["new", "--from-template", "not-a-template.yaml"]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/is not a ConstraintTemplate azpol can use/);
  });
});
