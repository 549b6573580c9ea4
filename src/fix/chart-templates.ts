// A Helm chart's template files, read for the images written into them (template-images.ts): the
// templates the file walk found (templates/**.yaml) and the chart's other template files helm
// renders or includes (`_helpers.tpl`, any *.tpl under templates/), which the walk does not list.
// Read only: fix never writes a Go template.
import { readdirSync } from "node:fs";
import { join, sep } from "node:path";
import { readFixText } from "./file-text.js";
import type { FixInput } from "./plan-fixes.js";
import { shownPath } from "../io/shown-path.js";

/** <chart>/templates of a template file's path */
function templatesFolder(file: string): string | undefined {
  const parts = file.split(sep);
  const at = parts.lastIndexOf("templates");
  return at > 0 ? parts.slice(0, at + 1).join(sep) : undefined;
}

function tplFiles(folder: string): string[] {
  try {
    return readdirSync(folder, { withFileTypes: true })
      .sort((a, b) => Buffer.compare(Buffer.from(a.name), Buffer.from(b.name)))
      .flatMap((e) => (e.isDirectory() ? tplFiles(join(folder, e.name)) : e.isFile() && /\.tpl$/i.test(e.name) ? [join(folder, e.name)] : []));
  } catch {
    return []; // a folder that cannot be listed is named by the walk
  }
}

/** The chart templates to read: `found` and the *.tpl files of their charts. */
export function chartTemplateFiles(found: string[]): string[] {
  const folders = [...new Set(found.map(templatesFolder).filter((f): f is string => f !== undefined))];
  return [...new Set([...found, ...folders.flatMap(tplFiles)])];
}

/** The chart templates, read as inputs fix judges but never writes; unreadable ones are problems. */
export function readChartTemplates(files: string[]): { inputs: FixInput[]; unreadable: { file: string; line: number; message: string }[] } {
  const inputs: FixInput[] = [];
  const unreadable: { file: string; line: number; message: string }[] = [];
  for (const path of files) {
    const read = readFixText(path);
    if ("error" in read) unreadable.push({ file: shownPath(path), line: 1, message: read.error });
    else inputs.push({ path, shown: shownPath(path), text: read.text, helmTemplate: true });
  }
  return { inputs, unreadable };
}
