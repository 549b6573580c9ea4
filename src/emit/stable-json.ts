// Deterministic JSON text: 2-space indent, trailing newline. Key order is the order the
// emitters build objects in (fixed), so the same model always gives the same bytes.
export function stableJson(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}
