// CI: the suites whose code paths differ most between Node versions, run again under each Node
// runtime users run (22, 24: npm run setup:node-runtimes, scripts/node-runtimes.ts), since the CI
// machines' own node is 20 and `npm test` runs there. vitest itself runs on that node, and the
// tests start the CLI with process.execPath (test/support/cli.ts), so azpol runs on it too.
//   - deploy and import through @azure/arm-policy 7.0.1, the one dependency that declares Node >= 22
//     (README "Node versions"), and the other ARM clients, against the fake ARM on 127.0.0.1;
//   - every command's --json output against its committed schema.
// The whole `npm test` on two more Nodes would add ~8 minutes to CI; these take ~40 s per Node.
//   npm run build && npm run setup:node-runtimes && npm run test:node-runtimes
import { spawnSync } from "node:child_process";
import { delimiter, join } from "node:path";
import { cachedNodeRuntimes } from "./node-runtimes.js";

export const NODE_RUNTIME_SUITES = [
  "test/e2e/deploy.e2e.test.ts",
  "test/e2e/import.e2e.test.ts",
  "test/e2e/initiatives-deploy.e2e.test.ts",
  "test/deploy/policy-client-port.test.ts",
  "test/e2e/json-output.e2e.test.ts",
];

const root = join(import.meta.dirname, "..");
const { runtimes, missing } = cachedNodeRuntimes();
const results: string[] = [];
let failed = missing.length > 0 && Boolean(process.env.CI);
for (const m of missing) console.log(`${process.env.CI ? "FAIL" : "skip"} ${m}`);
for (const rt of runtimes) {
  const started = performance.now();
  console.log(`== node ${rt.version}: ${NODE_RUNTIME_SUITES.length} suites`);
  const run = spawnSync(rt.node, [join(root, "node_modules", "vitest", "vitest.mjs"), "run", ...NODE_RUNTIME_SUITES], {
    cwd: root,
    // a `node` the tests start by name is this one too
    env: { ...process.env, PATH: `${join(rt.dir, "bin")}${delimiter}${process.env.PATH ?? ""}` },
    stdio: "inherit",
  });
  const seconds = ((performance.now() - started) / 1000).toFixed(0);
  results.push(`node ${rt.version}: ${run.status === 0 ? "passed" : `FAILED (exit ${run.status})`} in ${seconds} s`);
  if (run.status !== 0) failed = true;
}
console.log(`\n${results.join("\n") || "no Node runtime cached"}`);
process.exit(failed ? 1 : 0);
