// Preloaded by scripts/bench-cli.ts (node --import): appends this process's peak RSS (KB) to
// $AZPOL_RSS_FILE when it exits, so the benchmark can report the CLI's memory.
import { appendFileSync } from "node:fs";

process.on("exit", () => {
  if (process.env.AZPOL_RSS_FILE) appendFileSync(process.env.AZPOL_RSS_FILE, `${process.resourceUsage().maxRSS}\n`);
});
