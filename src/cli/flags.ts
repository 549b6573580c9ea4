// Flag parsing shared by the commands.
import { parseOverrideArgument, type ParameterOverride } from "../core/parameter-override.js";
import { UsageError } from "../errors.js";

/** --param name=value, repeatable: a malformed one is a usage error (exit 2). */
export function parseOverrides(args: string[] = []): ParameterOverride[] {
  return args.map((arg) => {
    const parsed = parseOverrideArgument(arg);
    if (typeof parsed === "string") throw new UsageError(parsed);
    return parsed;
  });
}

/** commander's collector for a repeatable option */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}
