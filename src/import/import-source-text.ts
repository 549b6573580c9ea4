// The definition source text an import writes (pure): a header naming where it came from and
// what azpol changed, then the source.
import { stringify } from "yaml";
import type { DefinitionSource } from "../model/definition-source.js";

export function importedSourceText(source: DefinitionSource, origin: string, notes: string[]): string {
  const header = [`# Imported by 'azpol import' from ${origin.replace(/[\r\n]/g, "?")}.`, ...notes.map((n) => `# note: ${n.replace(/[\r\n]/g, " ")}`)].join("\n");
  const { name, displayName, description, version, category, template, ...rest } = source;
  // the usual key order of azpol's sources
  return `${header}\n${stringify({ name, displayName, description, ...(version ? { version } : {}), ...(category ? { category } : {}), template, ...rest }, { lineWidth: 100 })}`;
}
