// Node's compile cache holds code Node runs: azpol keeps it in its own cache folder, and only while
// no other account can change that folder or the one holding it (src/io/cache-dir.ts).
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, it } from "vitest";
import { cacheDir, compileCacheChoice } from "../src/io/cache-dir.js";

const base = mkdtempSync(join(tmpdir(), "azpol-compile-cache-"));
afterAll(() => rmSync(base, { recursive: true, force: true }));
const me = { platform: "linux" as const, uid: process.getuid?.(), gid: process.getgid?.() };
const posix = process.platform !== "win32";

it.runIf(posix)("uses a folder in azpol's cache folder while only this account can change it", () => {
  const root = join(base, "private");
  const env = { AZPOL_CACHE_DIR: root };
  // missing: Node creates it with this process's umask
  expect(compileCacheChoice(env, me)).toEqual({ use: true, directory: join(root, "node-compile-cache") });
  mkdirSync(join(root, "node-compile-cache"), { recursive: true, mode: 0o700 });
  chmodSync(root, 0o700);
  expect(compileCacheChoice(env, me)).toEqual({ use: true, directory: join(root, "node-compile-cache") });
  chmodSync(join(root, "node-compile-cache"), 0o777);
  expect(compileCacheChoice(env, me)).toEqual({ use: false });
  chmodSync(join(root, "node-compile-cache"), 0o700);
  chmodSync(root, 0o757);
  expect(compileCacheChoice(env, me)).toEqual({ use: false });
  // group-writable is fine for this account's own group only
  chmodSync(root, 0o770);
  expect(compileCacheChoice(env, me)).toEqual({ use: true, directory: join(root, "node-compile-cache") });
  expect(compileCacheChoice(env, { ...me, gid: (me.gid ?? 0) + 1 })).toEqual({ use: false });
  chmodSync(root, 0o700);
  // a folder another account owns
  expect(compileCacheChoice(env, { ...me, uid: (me.uid ?? 0) + 1 })).toEqual({ use: false });
});

it("NODE_COMPILE_CACHE is the user's choice, Windows keeps Node's per-user default, no uid no cache", () => {
  expect(compileCacheChoice({ NODE_COMPILE_CACHE: join(base, "x") }, me)).toEqual({ use: true });
  expect(compileCacheChoice({ AZPOL_CACHE_DIR: base }, { platform: "win32", uid: undefined, gid: undefined })).toEqual({ use: true });
  expect(compileCacheChoice({ AZPOL_CACHE_DIR: base }, { platform: "linux", uid: undefined, gid: undefined })).toEqual({ use: false });
});

it.runIf(posix)("a file where the folder should be is not a cache folder", () => {
  const root = join(base, "with-file");
  mkdirSync(root, { mode: 0o700 });
  writeFileSync(join(root, "node-compile-cache"), "");
  expect(compileCacheChoice({ AZPOL_CACHE_DIR: root }, me)).toEqual({ use: false });
});

it("the cache folder: AZPOL_CACHE_DIR, else $XDG_CACHE_HOME/azpol, else ~/.cache/azpol", () => {
  expect(cacheDir({ AZPOL_CACHE_DIR: "/a", XDG_CACHE_HOME: "/x", HOME: "/h" })).toBe("/a");
  expect(cacheDir({ XDG_CACHE_HOME: "/x", HOME: "/h" })).toBe(join("/x", "azpol"));
  if (posix) expect(cacheDir({ HOME: "/h" })).toBe(join("/h", ".cache", "azpol"));
  expect(cacheDir({})).toBe(join(homedir(), ".cache", "azpol"));
});
