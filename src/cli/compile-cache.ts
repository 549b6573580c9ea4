// Node's compile cache for azpol's own code: on Node >= 22.1 (module.enableCompileCache, the cache
// npm uses) compiled code is kept between runs, in the folder io/cache-dir.ts chooses (only one this
// account alone can change); a no-op where Node lacks it, as on Node 20. It covers the modules loaded
// after the call, so the binary's entry calls it before it loads the rest.
import * as nodeModule from "node:module";
import { compileCacheChoice } from "../io/cache-dir.js";

export function enableCompileCache(): void {
  const enable = (nodeModule as { enableCompileCache?: (directory?: string) => unknown }).enableCompileCache;
  if (!enable) return;
  const cache = compileCacheChoice();
  // a second call (the published entry, then main.ts) is answered "already enabled" by Node
  if (cache.use) enable("directory" in cache ? cache.directory : undefined);
}
