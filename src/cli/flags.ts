// Flag parsing shared by the commands.
import { parseOverrideArgument, type ParameterOverride } from "../core/parameter-override.js";
import type { Command } from "commander";
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

/**
 * --param <name=value>, repeatable: the values commands that build definitions take. Each command
 * says in `help` what the values mean for it (a default it overrides, an assignment's value).
 */
export function addParamOption(command: Command, help: string): Command {
  return command.option("--param <name=value>", help, collect);
}

/** --definitions <path> (default: definitions) and --param: which definitions judge, with which assignment values. */
export function addDefinitionOptions(command: Command, help: { definitions: string; param: string }): Command {
  return addParamOption(command.option("--definitions <path>", help.definitions, "definitions"), help.param);
}

/** --allow-outside-project: the one way past the project boundary (files outside the working folder). */
export function addAllowOutsideProjectOption(command: Command, help = "let definitions and suites point at files outside the working folder"): Command {
  return command.option("--allow-outside-project", help);
}
