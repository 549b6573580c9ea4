// Where azpol keeps what it remembers between runs (compile outcomes, reach probes, warm plans, and
// Node's compile cache): $AZPOL_CACHE_DIR, else $XDG_CACHE_HOME/azpol, else ~/.cache/azpol. One small
// file without dependencies, because the binary's first lines (cli/main.ts) need it.
//
// Node's compile cache (module.enableCompileCache, Node >= 22.1) is compiled code that Node loads
// instead of compiling azpol's own. Node's default folder, os.tmpdir()/node-compile-cache, is shared
// by every account on a POSIX machine, so azpol uses a folder in its own cache folder instead, and
// only while this account owns it and no other account can write to it or to the folder holding
// it; otherwise azpol runs without the cache (it only saves time). Node creates the folder when it
// is missing. NODE_COMPILE_CACHE, when set, is the user's choice and is used as given;
// NODE_DISABLE_COMPILE_CACHE turns it off. On Windows the temporary folder is per user, so Node's
// default stands.
import { statSync } from "node:fs";
import { join } from "node:path";

// os.homedir() is $HOME on POSIX when it is set (libuv's uv_os_homedir): read here directly, so the
// binary's first lines do not load node:os for it
const home = (env: NodeJS.ProcessEnv): string => (process.platform !== "win32" && env.HOME ? env.HOME : process.getBuiltinModule<"node:os">("node:os").homedir());

export function cacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.AZPOL_CACHE_DIR) return env.AZPOL_CACHE_DIR;
  return join(env.XDG_CACHE_HOME || join(home(env), ".cache"), "azpol");
}

export type CompileCacheChoice = { use: false } | { use: true; directory?: string };

interface Account {
  platform: NodeJS.Platform;
  uid: number | undefined;
  gid: number | undefined;
}

const thisAccount = (): Account => ({ platform: process.platform, uid: process.getuid?.(), gid: process.getgid?.() });

/** A folder no other account can change: ours, not writable by others, by its group only if that is our own group. */
function isPrivate(path: string, account: Account): boolean {
  try {
    const s = statSync(path);
    if (!s.isDirectory() || s.uid !== account.uid) return false;
    if ((s.mode & 0o002) !== 0) return false;
    return (s.mode & 0o020) === 0 || s.gid === account.gid;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "ENOENT"; // Node creates it, with this process's umask
  }
}

export function compileCacheChoice(env: NodeJS.ProcessEnv = process.env, account: Account = thisAccount()): CompileCacheChoice {
  if (env.NODE_COMPILE_CACHE || account.platform === "win32") return { use: true };
  if (account.uid === undefined) return { use: false };
  const root = cacheDir(env);
  const directory = join(root, "node-compile-cache");
  return isPrivate(root, account) && isPrivate(directory, account) ? { use: true, directory } : { use: false };
}
