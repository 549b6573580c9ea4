// The project boundary belongs to a run, not to the process: it is the run's ActionContext.files,
// passed down to the readers (io/project-boundary.ts), so two runs in one process (two contexts in
// a test, or two commands in a host) each read under their own, and nothing one sets leaks into
// another.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadDefinitionInput } from "../src/io/load-definitions.js";
import { outsideProject, readAnywhere, type FileBoundary } from "../src/io/project-boundary.js";
import { cliContext } from "../src/cli/context.js";

const work = mkdtempSync(join(tmpdir(), "azpol-boundary-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const a = join(work, "a");
const b = join(work, "b");
for (const [dir, other] of [
  [a, "b"],
  [b, "a"],
] as const) {
  mkdirSync(dir);
  writeFileSync(join(dir, "template.yaml"), "kind: ConstraintTemplate\n");
  // each project's definition points at the other project's template
  writeFileSync(join(dir, "definition.yaml"), `name: d\ntemplate:\n  path: ../${other}/template.yaml\n`);
}
const tick = () => new Promise<void>((r) => setImmediate(r));
const readError = (input: ReturnType<typeof loadDefinitionInput>) => ("readError" in input.template ? input.template.readError : undefined);

describe("project boundary per run", () => {
  it("two interleaved runs each read under the boundary they pass, across awaits", async () => {
    const run = async (root: string, other: string) => {
      const files: FileBoundary = { cwd: root, projectRoot: root };
      await tick();
      const inside = outsideProject(join(root, "template.yaml"), files.projectRoot);
      await tick();
      const outside = outsideProject(join(other, "template.yaml"), files.projectRoot);
      await tick();
      return { inside, outside, crossing: readError(loadDefinitionInput(join(root, "definition.yaml"), files)) };
    };
    const [ra, rb] = await Promise.all([run(a, b), run(b, a)]);
    for (const r of [ra, rb]) {
      expect(r.inside).toBeUndefined();
      expect(r.outside).toMatch(/resolves outside the project/);
      expect(r.crossing).toMatch(/resolves outside the project .*--allow-outside-project/);
    }
  });

  it("a run with no boundary (readAnywhere) reads anywhere, whatever another run passes at the same time", async () => {
    const [bounded, anywhere] = await Promise.all([
      (async () => {
        await tick();
        return readError(loadDefinitionInput(join(a, "definition.yaml"), { cwd: a, projectRoot: a }));
      })(),
      (async () => {
        await tick();
        return readError(loadDefinitionInput(join(a, "definition.yaml"), readAnywhere(a)));
      })(),
    ]);
    expect(bounded).toMatch(/resolves outside the project/);
    expect(anywhere).toBeUndefined();
    expect(outsideProject(join(b, "template.yaml"), undefined)).toBeUndefined();
  });

  it("the CLI's context carries the boundary: the folder it runs in, or none with --allow-outside-project", () => {
    const output = { out: () => undefined, err: () => undefined, interactive: false };
    expect(cliContext(output).files).toEqual({ cwd: process.cwd(), projectRoot: process.cwd() });
    expect(cliContext(output, { allowOutsideProject: true }).files).toEqual({ cwd: process.cwd(), projectRoot: undefined });
  });
});
