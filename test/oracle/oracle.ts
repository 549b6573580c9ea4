// Runs the Go oracle (oracle/: distribution/reference and k8s.io/cli-runtime, the code the
// kubelet, containerd and kubectl run). `npm test` builds it first (scripts/build-oracle.sh).
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";

const BINARY = join(import.meta.dirname, "..", "..", "oracle", "dist", "oracle");

export interface OracleImage {
  image: string;
  valid: boolean;
  error?: string;
  domain?: string;
  path?: string;
  tag?: string;
  digest?: string;
}

export interface OracleManifest {
  file: string;
  objects: Record<string, unknown>[];
  errors: string[];
}

function run(args: string[], input: string): string {
  if (!existsSync(BINARY)) throw new Error(`the oracle is not built (${BINARY}); run 'npm run build:oracle'`);
  const out = spawnSync(BINARY, args, { input, encoding: "utf8", maxBuffer: 1 << 30 });
  if (out.status !== 0) throw new Error(`oracle ${args[0]} failed (${out.status}): ${out.stderr}`);
  return out.stdout;
}

function lines<T>(text: string): T[] {
  return text
    .split("\n")
    .filter((l) => l !== "")
    .map((l) => JSON.parse(l) as T);
}

export function oracleParseImages(images: string[]): OracleImage[] {
  const parsed = lines<OracleImage>(run(["images"], images.map((i) => JSON.stringify(i)).join("\n") + "\n"));
  if (parsed.length !== images.length) throw new Error(`oracle answered ${parsed.length} of ${images.length} images`);
  return parsed;
}

export function oracleReadManifests(files: string[]): OracleManifest[] {
  return lines<OracleManifest>(run(["manifests", ...files], ""));
}

/** The oracle's parse of each rule that has a path, read as an image name (registry-decision.ts parseRule). */
export function oracleParseRules(rules: string[]): Map<string, OracleImage> {
  const withPath = [...new Set(rules.filter((r) => r.includes("/")))];
  const parsed = withPath.length ? oracleParseImages(withPath.map((r) => r.toLowerCase())) : [];
  return new Map(withPath.map((r, i) => [r, parsed[i] as OracleImage]));
}

export interface OracleFolder {
  objects: { source: string; kind: string; name: string }[];
  errors: string[];
}

/** What `kubectl apply -f <dir>` (with -R when recursive) would send, file by file. */
export function oracleReadFolder(dir: string, recursive: boolean): OracleFolder {
  return JSON.parse(run(["folder", ...(recursive ? ["-R"] : []), dir], "")) as OracleFolder;
}
