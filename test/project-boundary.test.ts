// The project boundary belongs to a run, not to the process: two runs in one process (as two
// ActionContexts in a test, or two commands in a host) each read under their own.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { outsideProject, setProjectBoundary, withProjectBoundary } from "../src/io/project-boundary.js";

const work = mkdtempSync(join(tmpdir(), "azpol-boundary-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const a = join(work, "a");
const b = join(work, "b");
for (const dir of [a, b]) {
  mkdirSync(dir);
  writeFileSync(join(dir, "template.yaml"), "kind: ConstraintTemplate\n");
}
const tick = () => new Promise<void>((r) => setImmediate(r));

describe("project boundary per run", () => {
  it("two interleaved runs each see their own boundary, across awaits", async () => {
    const run = (root: string, other: string) =>
      withProjectBoundary(undefined, async () => {
        setProjectBoundary(root);
        await tick();
        const inside = outsideProject(join(root, "template.yaml"));
        await tick();
        return { inside, outside: outsideProject(join(other, "template.yaml")) };
      });
    const [ra, rb] = await Promise.all([run(a, b), run(b, a)]);
    for (const r of [ra, rb]) {
      expect(r.inside).toBeUndefined();
      expect(r.outside).toMatch(/resolves outside the project/);
    }
  });

  it("a run with no boundary reads anywhere, whatever another run set; the process default is untouched", async () => {
    await withProjectBoundary(a, async () => {
      await tick();
      expect(outsideProject(join(b, "template.yaml"))).toMatch(/outside the project/);
    });
    withProjectBoundary(undefined, () => {
      expect(outsideProject(join(b, "template.yaml"))).toBeUndefined();
    });
    expect(outsideProject(join(b, "template.yaml"))).toBeUndefined();
  });
});
