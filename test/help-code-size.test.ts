// `azpol <cmd> --help` must start in a blink (issue 25: start-up <= 2x `node -e 0`, also on Node 22
// and 24, which start in a third of Node 20's time): it loads the binary's entry, the program and the
// command's own module, and nothing those import statically may be an action, the YAML library,
// ajv or an SDK. Checked on the code-split bundle as published (scripts/bundle-cli.ts), by its import
// graph; the published entry answers help from help.js, built from these same modules in one file
// (test/bundle.test.ts), so what is light here is light there.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Metafile } from "esbuild";
import { bundleCli } from "../scripts/bundle-cli.js";
import { COMMANDS } from "../src/cli/command-table.js";

const root = join(import.meta.dirname, "..");
const HEAVY = [/node_modules\/yaml\//, /node_modules\/ajv\//, /node_modules\/@azure\//, /node_modules\/@kubernetes\//, /^src\/actions\//, /^src\/pipeline\//];

let out: string;
let meta: Metafile;
beforeAll(async () => {
  out = mkdtempSync(join(tmpdir(), "azpol-help-size-"));
  meta = (await bundleCli(root, out)).main;
}, 120_000);
afterAll(() => rmSync(out, { recursive: true, force: true }));

/** The inputs of every chunk a module's chunk loads statically (with the entry's and the program's), the builtins they import, and how many chunks. */
function staticClosure(entries: string[]): { inputs: Map<string, number>; builtins: Set<string>; chunks: number } {
  const outputs = meta.outputs;
  const chunkOf = (input: string) => Object.keys(outputs).find((o) => outputs[o]?.entryPoint === input);
  // main.js: the code-split bundle every command's --help runs in (the entry, dist/azpol.js, is a
  // few hundred bytes that only chooses it; test/bundle.test.ts)
  const main = Object.keys(outputs).find((o) => o.endsWith("/main.js"));
  const queue = [main, ...entries.map(chunkOf)].filter((o): o is string => o !== undefined);
  expect(queue).toHaveLength(entries.length + 1);
  const seen = new Set<string>();
  while (queue.length) {
    const o = queue.pop() as string;
    if (seen.has(o)) continue;
    seen.add(o);
    for (const i of outputs[o]?.imports ?? []) if (i.kind === "import-statement" && !i.external) queue.push(i.path);
  }
  const inputs = new Map<string, number>();
  const builtins = new Set<string>();
  for (const o of seen) {
    for (const [input, v] of Object.entries(outputs[o]?.inputs ?? {})) inputs.set(input, v.bytesInOutput);
    for (const i of outputs[o]?.imports ?? []) if (i.external && i.kind === "import-statement") builtins.add(i.path);
  }
  return { inputs, builtins, chunks: seen.size };
}

describe("what <cmd> --help loads", () => {
  const program = ["src/cli/output.ts", "src/cli/run.ts"];
  it("azpol --help: the program and commander only, without node:crypto or node:zlib (loaded when a write or the engine needs them)", () => {
    const { inputs, builtins } = staticClosure(program);
    expect([...inputs.keys()].filter((i) => HEAVY.some((h) => h.test(i)))).toEqual([]);
    // the action context (writer, engine, network policy) loads when a command runs (command-io.ts)
    expect([...inputs.keys()].filter((i) => /^src\/(cli\/context|io\/guarded-writer|net\/network-policy|rego\/engine)\.ts$/.test(i))).toEqual([]);
    expect([...builtins].filter((b) => /^(node:)?(crypto|zlib)$/.test(b))).toEqual([]);
  });

  for (const c of COMMANDS) {
    // each ES module costs its own resolve, read and link: on Node 22, 19 modules of --help took ~10 ms
    // more than the same code in one (issue 25's start-up target is 2x a bare `node -e 0`)
    it(`azpol ${c.name} --help: no action, YAML library, ajv or SDK; under 100 KB of code in at most 24 modules`, () => {
      const { inputs, chunks } = staticClosure([...program, `src/cli/commands/${c.name}.ts`]);
      expect([...inputs.keys()].filter((i) => HEAVY.some((h) => h.test(i)))).toEqual([]);
      expect([...inputs.values()].reduce((a, b) => a + b, 0)).toBeLessThan(100_000);
      expect(chunks).toBeLessThanOrEqual(24);
    });
  }
});
