// A path as azpol shows it: relative to the working directory when it is inside it. Its own file
// so that a command's renderer can show paths without loading the source readers (and YAML).
import { relative } from "node:path";

export function shownPath(path: string, cwd: string = process.cwd()): string {
  const rel = relative(cwd, path);
  return rel.startsWith("..") ? path : rel;
}
