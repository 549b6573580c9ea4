// The azpol package folder (holds constraint-templates/ and engine/dist/), found from this
// file so it works from src/ under vitest and from dist/src/ when installed.
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const manifest = join(dir, "package.json");
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, "utf8")) as { name?: string }).name === "azpol") return dir;
    dir = resolve(dir, "..");
  }
  throw new Error("cannot find the azpol package folder");
}
