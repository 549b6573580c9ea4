// azpol explain <code>: flags → the catalogue entry → text or JSON.
import type { Command } from "commander";
import { ExitCode, UsageError } from "../../errors.js";
import type { CommandIo } from "../command-io.js";

interface ExplainOptions {
  list?: boolean;
  json?: boolean;
}

export function registerExplain(program: Command, io: CommandIo): void {
  const { output } = io;
  program
    .command("explain")
    .description("say what a diagnostic code (AZPnnnn) means, how severe it is and how to fix it")
    .argument("[code]", "a code from validate or build output, e.g. AZP2004")
    .option("--list", "list every code with its severity and title")
    .option("--json", "print the entry (or, with --list, every entry) as JSON")
    .addHelpText("after", "\nExit codes: 0 explained, 2 unknown code or usage error.")
    .action(
      io.handler(async (code: string | undefined, options: ExplainOptions) => {
        const { allRules, explain } = await import("../../actions/explain.js"); // loaded when the command runs, not for --help
        if (options.list) {
          const rules = allRules();
          if (options.json) output.out(JSON.stringify(rules, null, 2));
          else for (const r of rules) output.out(`${r.code}  ${r.severity.padEnd(16)} ${r.title}`);
          return ExitCode.Ok;
        }
        if (code === undefined) throw new UsageError("name a code, e.g. azpol explain AZP2004 (or --list)");
        const rule = explain(code);
        if (options.json) output.out(JSON.stringify(rule, null, 2));
        else output.out(`${rule.code} (${rule.severity}): ${rule.title}\n\n${rule.explanation}`);
        return ExitCode.Ok;
      }),
    );
}
