// The pure parts of azpol fix: which registry rule covers an image (whole host, whole path
// segments, host case-insensitive), what the image becomes, how a scalar is re-quoted, and a diff
// that git apply accepts, also for a file without a final newline.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { renderScalar, replacementFor, rewriteReference } from "../src/fix/rewrite-image.js";
import { unifiedDiff } from "../src/fix/unified-diff.js";

const rules = { "k8s.gcr.io": "registry.k8s.io", "gcr.io/google-containers": "registry.k8s.io" };

describe("registry replacement", () => {
  it.each([
    ["k8s.gcr.io/pause:3.9", "registry.k8s.io/pause:3.9"],
    ["K8S.gcr.io/pause:3.9", "registry.k8s.io/pause:3.9"],
    [`k8s.gcr.io/etcd@sha256:${"a".repeat(64)}`, `registry.k8s.io/etcd@sha256:${"a".repeat(64)}`],
    ["gcr.io/google-containers/pause:3.2", "registry.k8s.io/pause:3.2"],
  ])("%s → %s", (image, expected) => {
    const rule = replacementFor(image, rules);
    expect(rule).toBeDefined();
    expect(rewriteReference(image, rule as never)).toBe(expected);
  });

  it.each(["k8s.gcr.io.evil.com/x:1", "evil.com/k8s.gcr.io/x:1", "gcr.io/google-containers-x/pause:1", "gcr.io/other/pause:1", "pause:3.9", "library/k8s.gcr.io"])("leaves %s alone", (image) => {
    expect(replacementFor(image, rules)).toBeUndefined();
  });

  it("re-quotes in the scalar's own style", () => {
    expect(renderScalar("registry.k8s.io/pause:3.9", "PLAIN")).toBe("registry.k8s.io/pause:3.9");
    expect(renderScalar("registry.k8s.io/pause:3.9", "QUOTE_DOUBLE")).toBe('"registry.k8s.io/pause:3.9"');
    expect(renderScalar("it's", "QUOTE_SINGLE")).toBe("'it''s'");
    expect(renderScalar("true", "PLAIN")).toBe('"true"');
  });
});

it("the diff applies with git apply, with and without a final newline", () => {
  const dir = mkdtempSync(join(tmpdir(), "azpol-diff-"));
  try {
    for (const [name, before] of [["a.yaml", "x: 1\nimage: k8s.gcr.io/a\ny: 2\n"], ["b.yaml", "x: 1\nimage: k8s.gcr.io/b"]] as const) {
      const after = before.replace("k8s.gcr.io", "registry.k8s.io");
      writeFileSync(join(dir, name), before);
      writeFileSync(join(dir, "p.diff"), unifiedDiff(name, before, after));
      const run = spawnSync("git", ["apply", "-p1", "p.diff"], { cwd: dir, encoding: "utf8" });
      expect({ name, stderr: run.stderr, status: run.status }).toEqual({ name, stderr: "", status: 0 });
      expect(readFileSync(join(dir, name), "utf8")).toBe(after);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

it("a file name with a tab, a quote or a backslash is C-quoted the way git apply reads it", () => {
  const dir = mkdtempSync(join(tmpdir(), "azpol-diff-"));
  try {
    const name = 'we"ird\tna\\me é.yaml';
    const before = "image: k8s.gcr.io/a\n";
    const after = "image: registry.k8s.io/a\n";
    writeFileSync(join(dir, name), before);
    writeFileSync(join(dir, "p.diff"), unifiedDiff(name, before, after));
    const run = spawnSync("git", ["apply", "-p1", "p.diff"], { cwd: dir, encoding: "utf8" });
    expect({ stderr: run.stderr, status: run.status }).toEqual({ stderr: "", status: 0 });
    expect(readFileSync(join(dir, name), "utf8")).toBe(after);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
