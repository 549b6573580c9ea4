// Preloaded by scripts/bench-cli.ts (node --import): when this process exits, appends one line to
// $AZPOL_RSS_FILE: its peak RSS (KB), then the CPU seconds (user + system) of this process AND of
// its child processes that are still running (the native engine is a child that azpol does not
// wait for, so a timer wrapped around node would miss its CPU). Children's CPU is read from
// /proc/<pid>/stat (Linux; fields utime and stime, in clock ticks of 1/100 s); elsewhere only
// this process's CPU is counted, and the line says "self-only".
import { appendFileSync, readdirSync, readFileSync } from "node:fs";

const TICKS_PER_SECOND = 100; // USER_HZ, 100 on every Linux architecture Node supports

function childrenCpuSeconds() {
  let total = 0;
  for (const task of readdirSync(`/proc/${process.pid}/task`)) {
    const pids = readFileSync(`/proc/${process.pid}/task/${task}/children`, "utf8").trim().split(/\s+/).filter(Boolean);
    for (const pid of pids) {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      // fields after the parenthesised command name: state is field 3, utime 14, stime 15
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      total += (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
    }
  }
  return total;
}

process.on("exit", () => {
  if (!process.env.AZPOL_RSS_FILE) return;
  const self = process.cpuUsage();
  let children = "self-only";
  try {
    children = childrenCpuSeconds().toFixed(3);
  } catch {
    // no /proc: this process's CPU only
  }
  appendFileSync(process.env.AZPOL_RSS_FILE, `${process.resourceUsage().maxRSS} ${((self.user + self.system) / 1e6).toFixed(3)} ${children}\n`);
});
