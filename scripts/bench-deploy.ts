// Benchmark: deploy N definitions (+ N assignments) with the built CLI against the HTTPS fake
// ARM with injected latency; prints requests made and wall time for a first deploy and for an
// unchanged re-run (which must make no writes), against the targets: at most 4 reads for either
// (two paged lists, 100 per page), and under 1.5 s for the re-run.
//   npm run build && npm run bench:deploy -- [--definitions 200] [--latency-ms 25] [--concurrency 8]
import { chmodSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { FakeArm } from "../test/fake-arm/server.js";
import { azpolAsync } from "../test/support/cli.js";

const { values } = parseArgs({ options: { definitions: { type: "string", default: "200" }, "latency-ms": { type: "string", default: "25" }, concurrency: { type: "string", default: "8" } } });
const count = Number(values.definitions);
const latencyMs = Number(values["latency-ms"]);
const root = join(import.meta.dirname, "..");
const SUB = "00000000-0000-0000-0000-0000000000be";
const work = mkdtempSync(join(tmpdir(), "azpol-bench-deploy-"));
const arm = new FakeArm({ subscriptions: [SUB], resourceGroups: { [SUB]: ["rg-bench"] }, latencyMs });

try {
  await arm.start();
  const project = join(work, "project");
  cpSync(join(root, "constraint-templates"), join(project, "constraint-templates"), { recursive: true });
  const source = readFileSync(join(root, "definitions", "k8s-gcr-deprecation", "definition.yaml"), "utf8");
  for (let i = 0; i < count; i++) {
    const name = `bench-${String(i).padStart(4, "0")}`;
    mkdirSync(join(project, "definitions", name), { recursive: true });
    writeFileSync(join(project, "definitions", name, "definition.yaml"), source.replace("name: k8s-gcr-deprecation", `name: ${name}`));
  }
  const bin = join(work, "bin");
  mkdirSync(bin);
  writeFileSync(join(bin, "az"), `#!/bin/sh\nprintf '{"accessToken":"bench","expires_on":%s,"tokenType":"Bearer"}' $(( $(date +%s) + 3600 ))\n`);
  chmodSync(join(bin, "az"), 0o755);
  writeFileSync(join(work, "ca.pem"), arm.cert);
  const env = {
    ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("AZURE_"))),
    PATH: `${bin}:${process.env.PATH ?? ""}`,
    AZURE_TOKEN_CREDENTIALS: "AzureCliCredential",
    AZURE_SUBSCRIPTION_ID: SUB,
    AZPOL_ARM_ENDPOINT: arm.endpoint,
    AZPOL_ARM_CA_FILE: join(work, "ca.pem"),
  };
  console.log(`${count} definitions + ${count} assignments, ${latencyMs} ms injected latency per request, concurrency ${values.concurrency}`);
  for (const label of ["first deploy", "unchanged re-run"]) {
    const before = arm.requests.length;
    const writesBefore = arm.writes().length;
    const started = performance.now();
    const run = await azpolAsync(["deploy", "--scope", "rg-bench", "--yes", "--json", "--concurrency", values.concurrency ?? "8"], { cwd: project, env });
    const seconds = (performance.now() - started) / 1000;
    if (run.status !== 0) throw new Error(`${label} failed (${run.status}): ${run.stderr}`);
    const requests = arm.requests.slice(before);
    const writes = arm.writes().length - writesBefore;
    console.log(`${label.padEnd(17)} ${String(requests.length).padStart(5)} requests (${requests.length - writes} reads, ${writes} writes) in ${seconds.toFixed(2)} s`);
    if (label === "unchanged re-run" && writes !== 0) throw new Error("the unchanged re-run wrote to ARM");
    // issue 13's targets: the plan reads at most 4 requests (two paged lists); a no-op re-run is quick
    const readCount = requests.length - writes;
    console.log(`  reads ${readCount} (target <= 4: ${readCount <= 4 ? "met" : "MISSED"})${label === "unchanged re-run" ? `, time ${seconds.toFixed(2)} s (target < 1.5 s: ${seconds < 1.5 ? "met" : "MISSED"})` : ""}`);
  }
} finally {
  await arm.stop();
  rmSync(work, { recursive: true, force: true });
}
