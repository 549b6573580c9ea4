// Flag parsing shared by the commands.
import type { Command } from "commander";

// --param name=value is parsed in core (actions read it too); re-exported for the commands
export { parseOverrides } from "../core/parameter-override.js";

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
