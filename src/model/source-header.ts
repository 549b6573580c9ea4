// What a definition source and an initiative source both declare: the header and the parameter
// declarations. The schema fragment that admits it is schema/source-header.schema.ts.

/** One parameter declaration as written in a source. */
export interface ParameterDeclaration {
  type: string;
  displayName?: string;
  description?: string;
  default?: unknown;
  allowedValues?: unknown[];
  schema?: Record<string, unknown>;
}

/** name, displayName, description, version, category and parameters (`P`: the source's declaration). */
export interface SourceHeader<P extends ParameterDeclaration> {
  name: string;
  displayName: string;
  description?: string;
  version?: string;
  category?: string;
  parameters?: Record<string, P>;
}
