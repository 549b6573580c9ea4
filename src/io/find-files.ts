// Walks folders for files by name or extension, skipping dot folders and node_modules.
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";

export function findFiles(path: string, accept: (name: string) => boolean, skipDirs: readonly string[] = []): string[] {
  if (!existsSync(path)) return [];
  if (statSync(path).isFile()) return [path];
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      if (entry.name.startsWith(".") || entry.name === "node_modules" || skipDirs.includes(entry.name)) continue;
      const full = join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (accept(entry.name)) found.push(full);
    }
  };
  walk(path);
  return found;
}
