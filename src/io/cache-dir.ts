// Where azpol keeps what it remembers between runs (compile outcomes, reach probes, warm plans):
// $AZPOL_CACHE_DIR, else $XDG_CACHE_HOME/azpol, else ~/.cache/azpol. Its own file so that the
// start-up path (cli/compile-cache-folder.ts, pipeline/warm-plan.ts) finds it without loading the caches' code.
import { homedir } from "node:os";
import { join } from "node:path";

export function cacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.AZPOL_CACHE_DIR) return env.AZPOL_CACHE_DIR;
  return join(env.XDG_CACHE_HOME || join(homedir(), ".cache"), "azpol");
}
