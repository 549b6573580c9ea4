// What a command file gets: where to print, the context its action runs in, and a wrapper that
// makes the exit code the handler's return value (program.ts is the one place that records it).
import type { ActionContext } from "../actions/context.js";
import type { ContextOptions } from "./context.js";
import type { Output } from "./output.js";

export interface CommandIo {
  output: Output;
  /**
   * the context for this run's action (project boundary, engine, writer, redaction, network);
   * loaded when a command runs, not for --help (it brings the writer, the engine and the network policy)
   */
  context(options?: ContextOptions): Promise<ActionContext>;
  /** a commander action handler from one that returns the exit code */
  handler<A extends unknown[]>(run: (...args: A) => Promise<number> | number): (...args: A) => Promise<void>;
}

export function commandIo(output: Output, setExit: (code: number) => void): CommandIo {
  return {
    output,
    context: async (options) => (await import("./context.js")).cliContext(output, options),
    handler:
      (run) =>
      async (...args) => {
        setExit(await run(...args));
      },
  };
}
