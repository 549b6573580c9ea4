// A PublicURL definition must point at the template tested here. validate --online and deploy
// fetch the URL (a local HTTPS server here) and refuse when the bytes differ, naming both digests
// and the first differing line; errors never print a SAS; --offline skips the check and says so.
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { makeCertificate } from "../fake-arm/certificate.js";
import { FakeArm } from "../fake-arm/server.js";
import { writeFakeAz } from "../support/fake-az.js";
import { azpolAsync } from "../support/cli.js";
import { gatekeeperYamlDigest } from "../../src/core/gatekeeper-yaml-digest.js";

const root = join(import.meta.dirname, "..", "..");
const SUB = "33333333-3333-3333-3333-333333333333";
const work = mkdtempSync(join(tmpdir(), "azpol-hosted-"));
const project = join(work, "project");
const templateText = readFileSync(join(root, "constraint-templates", "allowed-registries", "template.yaml"), "utf8");
const { cert, key } = makeCertificate();
/** what each path serves: bytes, a status, a redirect, or nothing at all */
const routes = new Map<string, { body?: string | Buffer; status?: number; location?: string; hang?: boolean }>();
let server: Server;
let base = "";
const arm = new FakeArm({ subscriptions: [SUB], resourceGroups: { [SUB]: ["rg-demo"] } });

beforeAll(async () => {
  server = createServer({ cert, key }, (req, res) => {
    const route = routes.get((req.url ?? "").split("?")[0] ?? "");
    if (!route) return void res.writeHead(404).end("not found");
    if (route.hang) return;
    if (route.location) return void res.writeHead(302, { location: route.location }).end();
    res.writeHead(route.status ?? 200, { "content-type": "text/plain" }).end(route.body ?? "");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  await arm.start();
  writeFileSync(join(work, "ca.pem"), cert + arm.cert);
  writeFakeAz(join(work, "bin"), SUB);
  mkdirSync(join(work, "azure"));
  writeFileSync(join(work, "azure", "azureProfile.json"), JSON.stringify({ subscriptions: [{ id: SUB, name: "Dev", isDefault: true, state: "Enabled" }] }));
  mkdirSync(join(project, "definitions", "hosted"), { recursive: true });
  cpSync(join(root, "constraint-templates"), join(project, "constraint-templates"), { recursive: true });
});
afterAll(async () => {
  server.closeAllConnections();
  server.close();
  await arm.stop();
  rmSync(work, { recursive: true, force: true });
});
beforeEach(() => {
  routes.clear();
  arm.reset();
});

function source(url: string): void {
  writeFileSync(
    join(project, "definitions", "hosted", "definition.yaml"),
    `name: hosted\ndisplayName: Hosted\ndescription: Only our registry.\ntemplate:\n  path: ../../constraint-templates/allowed-registries/template.yaml\n  source: PublicURL\n  url: ${url}\n  sha256: ${gatekeeperYamlDigest(templateText)}\neffect: Deny\nparameters:\n  allowedRegistries:\n    type: Array\n    default: [contoso.azurecr.io]\n    templateParameter: registries\n`,
  );
}

// A generous fetch timeout (a busy machine must not turn a refusal into a timeout); only the
// "no answer" case shortens it, and a hung server can only end by the timeout, however slow the machine.
const env = {
  NODE_EXTRA_CA_CERTS: join(work, "ca.pem"),
  AZPOL_TEMPLATE_FETCH_TIMEOUT_MS: "120000",
  PATH: `${join(work, "bin")}:${process.env.PATH ?? ""}`,
  AZURE_TOKEN_CREDENTIALS: "AzureCliCredential",
  AZURE_CONFIG_DIR: join(work, "azure"),
  AZPOL_ARM_ENDPOINT: "",
  AZPOL_ARM_CA_FILE: join(work, "ca.pem"),
};
const validate = (...args: string[]) => azpolAsync(["validate", "--online", "--json", ...args], { cwd: project, env });
const validateImpatiently = () => azpolAsync(["validate", "--online", "--json"], { cwd: project, env: { ...env, AZPOL_TEMPLATE_FETCH_TIMEOUT_MS: "1500" } });
const codes = (stdout: string) => (JSON.parse(stdout) as { diagnostics: { code: string; message: string }[] }).diagnostics;

describe("validate --online", () => {
  it("passes when the URL serves exactly the local template", async () => {
    routes.set("/t.yaml", { body: templateText });
    source(`${base}/t.yaml`);
    const run = await validate();
    expect(codes(run.stdout)).toEqual([]);
    expect(run.status).toBe(0);
  });

  it("refuses different bytes, with both digests and the first differing line", async () => {
    routes.set("/t.yaml", { body: templateText.replace("violation[", "violation [") });
    source(`${base}/t.yaml`);
    const run = await validate();
    expect(run.status).toBe(1);
    const [d] = codes(run.stdout);
    expect(d?.code).toBe("AZP3012");
    expect(d?.message).toMatch(new RegExp(`local sha256 ${gatekeeperYamlDigest(templateText)} \\(\\d+ bytes\\), hosted sha256 [0-9a-f]{64} \\(\\d+ bytes\\); first difference at line \\d+`));
  });

  it.each([
    ["a 404", { status: 404, body: "gone" }, /answered HTTP 404/],
    ["a redirect to http", { location: "http://127.0.0.1:9/t.yaml" }, /redirected to a http URL; azpol follows only https redirects/],
    ["more than 4 MiB", { body: Buffer.alloc(5 * 1024 * 1024, 0x61) }, /more than the 4194304-byte limit/],
    ["no answer", { hang: true }, /did not answer within 2 s/],
  ])("refuses %s, and never prints the SAS in the URL", async (_, route, message) => {
    routes.set("/t.yaml", route);
    source(`${base}/t.yaml?sv=2024-01-01&sig=SECRETSIGNATURE`);
    const run = "hang" in route ? await validateImpatiently() : await validate();
    expect(run.status).toBe(1);
    expect(run.stdout + run.stderr).not.toContain("SECRETSIGNATURE");
    expect(codes(run.stdout).find((d) => d.code === "AZP3012")?.message).toMatch(message);
  });
});

describe("deploy", () => {
  it("refuses before any write when the hosted template differs", async () => {
    routes.set("/t.yaml", { body: `${templateText}\n# tampered\n` });
    source(`${base}/t.yaml`);
    const run = await azpolAsync(["deploy", "--scope", "rg-demo", "--yes"], { cwd: project, env: { ...env, AZPOL_ARM_ENDPOINT: arm.endpoint } });
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/AZP3012/);
    expect(arm.writes()).toEqual([]);
  });

  it("--offline deploys without fetching and warns that it did not check", async () => {
    source(`${base}/missing.yaml`);
    const run = await azpolAsync(["deploy", "--scope", "rg-demo", "--yes", "--offline"], { cwd: project, env: { ...env, AZPOL_ARM_ENDPOINT: arm.endpoint } });
    expect(run.stderr).toMatch(/warning AZP3013 .*not checked that https:\/\/127\.0\.0\.1:\d+\/missing\.yaml serves the template tested here \(--offline\)/);
    expect(run.status, run.stderr).toBe(0);
    expect(arm.writes().length).toBe(2);
  });
});
