// Differential test of folder reading against kubectl's: seeded folder trees (dotfiles, dot
// folders, upper-case and double extensions, names whose byte order differs from locale
// order, nested subfolders, symbolic links) are listed by azpol (kubectlFolderFiles, what
// `azpol test <folder>` reads) and read by k8s.io/cli-runtime's builder as
// `kubectl apply -f <folder>` and `kubectl apply -R -f <folder>` (the oracle). Each file holds
// one object named after it, so the files kubectl reads, and their order, are the sources of
// the objects it yields. Replay with AZPOL_ORACLE_SEED; widen with AZPOL_ORACLE_FOLDERS.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { kubectlFolderFiles } from "../../src/io/manifest-files.js";
import { oracleReadFolder } from "./oracle.js";
import { Random, oracleSeed } from "./random.js";

const COUNT = Number.parseInt(process.env.AZPOL_ORACLE_FOLDERS ?? "60", 10);
const seed = oracleSeed();
const root = mkdtempSync(join(tmpdir(), "azpol-folder-oracle-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const FILE_NAMES = [".bad.yaml", ".yaml", ".yml", ".json", "app.yaml", "B.yaml", "a.yml", "Z.json", "_x.yaml", "a.YAML", "b.Yml", "c.yaml.bak", "README.md", "noext", "d.yaml~", "e.json.yaml", "é.yaml", "10.yaml", "9.yaml", "-.yaml"];
const DIR_NAMES = ["sub", ".hidden", "node_modules", "Sub", "a.yaml", "z"];

let counter = 0;
function manifest(name: string, json: boolean): string {
  const obj = { apiVersion: "v1", kind: "ConfigMap", metadata: { name } };
  return json ? JSON.stringify(obj) : `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n`;
}

function makeTree(r: Random, dir: string, depth: number): void {
  mkdirSync(dir, { recursive: true });
  for (const name of FILE_NAMES) {
    if (!r.chance(0.45)) continue;
    writeFileSync(join(dir, name), manifest(`o${counter++}`, name.endsWith(".json")));
  }
  if (depth < 3) for (const name of DIR_NAMES) if (r.chance(0.3)) makeTree(r, join(dir, name), depth + 1);
}

describe("azpol's folder reading vs kubectl apply -f (k8s.io/cli-runtime)", () => {
  it(`lists ${COUNT} generated folders as kubectl does, with and without -R`, () => {
    const r = new Random(seed);
    const wrong: string[] = [];
    let files = 0;
    for (let i = 0; i < COUNT; i++) {
      const dir = join(root, `t${i}`);
      makeTree(r, dir, 0);
      // a link to a manifest is read through; a link to a folder is not walked
      if (r.chance(0.5)) symlinkSync(join(dir, "..", `t${i}`, "nothing-here"), join(dir, "dangling-link")); // a dangling link with no extension: skipped by both
      if (r.chance(0.5)) {
        writeFileSync(join(root, `target${i}.yaml`), manifest(`o${counter++}`, false));
        symlinkSync(join(root, `target${i}.yaml`), join(dir, "link.yaml"));
      }
      if (r.chance(0.5)) {
        mkdirSync(join(root, `targetdir${i}`));
        writeFileSync(join(root, `targetdir${i}`, "inside.yaml"), manifest(`o${counter++}`, false));
        symlinkSync(join(root, `targetdir${i}`), join(dir, "linked-folder"));
      }
      for (const recursive of [false, true]) {
        const oracle = oracleReadFolder(dir, recursive);
        if (oracle.errors.length) throw new Error(`kubectl refused ${dir}: ${oracle.errors.join("; ")}`);
        const want = oracle.objects.map((o) => relative(dir, o.source));
        const got = kubectlFolderFiles(dir, recursive).files.map((f) => relative(dir, f));
        files += got.length;
        if (JSON.stringify(got) !== JSON.stringify(want)) wrong.push(`${dir}${recursive ? " -R" : ""}: kubectl ${JSON.stringify(want)}; azpol ${JSON.stringify(got)}`);
      }
    }
    console.log(`folder oracle: seed ${seed}, ${COUNT} folders, ${files} files read; ${wrong.length} disagreements`);
    expect({ seed, disagreements: wrong.length, first: wrong.slice(0, 10) }).toEqual({ seed, disagreements: 0, first: [] });
  }, 300_000);
});
