// The one writer (src/io/guarded-writer.ts), the one name rule (src/core/safe-name.ts) and the
// strict exemption dates: each hostile case from issue 21 against a real file system.
import { chmodSync, existsSync, linkSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { safeNameProblem } from "../src/model/safe-name.js";
import { parseStrictDate } from "../src/exemption/strict-date.js";
import { namedPath, writeGuarded, WriteRefused } from "../src/io/guarded-writer.js";
import { removeEmptyFolder, removeGuarded } from "../src/io/guarded-removal.js";
import { decodeText } from "../src/io/read-input.js";
import { encodeAs, shapeOf } from "../src/io/text-shape.js";

const work = mkdtempSync(join(tmpdir(), "azpol-writer-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));
let n = 0;
const fresh = () => {
  const dir = join(work, `c${n++}`);
  mkdirSync(join(dir, "root"), { recursive: true });
  mkdirSync(join(dir, "outside"));
  return { root: join(dir, "root"), outside: join(dir, "outside") };
};
const refused = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(WriteRefused);
    return (e as Error).message;
  }
  throw new Error("expected the write to be refused");
};

describe("the name rule", () => {
  it.each(["../../../victim", "..", ".", "a/b", "a\\b", "con", "NUL.txt", "a\u202eb", "a\u200bb", "x\u0000", "ends.", " lead", "a:b", "x".repeat(129), ""])("refuses %j", (name) => {
    expect(safeNameProblem(name, "name")).toBeDefined();
  });
  it.each(["k8sazurev3allowedimages", "allowed-registries", "deny_k8s.gcr", "Ünïcode-name", "a".repeat(128)])("accepts %j", (name) => {
    expect(safeNameProblem(name, "name")).toBeUndefined();
  });
  it("namedPath refuses a template name that climbs out of --templates, before any write", () => {
    const { root } = fresh();
    expect(refused(() => namedPath(root, [{ value: "../../../victim", what: "the template's metadata.name" }], "template.yaml"))).toMatch(/metadata\.name.*'\/'/);
  });
});

describe("writeGuarded", () => {
  it("writes a new file in new folders under the root", () => {
    const { root } = fresh();
    writeGuarded(root, join(root, "a", "b", "f.yaml"), "x: 1\n");
    expect(readFileSync(join(root, "a", "b", "f.yaml"), "utf8")).toBe("x: 1\n");
  });
  it("refuses a path outside the root, lexically", () => {
    const { root, outside } = fresh();
    expect(refused(() => writeGuarded(root, join(root, "..", "outside", "f"), "x"))).toMatch(/outside/);
    expect(() => readFileSync(join(outside, "f"))).toThrow();
  });
  it("refuses a folder that is a symbolic link to outside the root", () => {
    const { root, outside } = fresh();
    symlinkSync(outside, join(root, "sub"));
    expect(refused(() => writeGuarded(root, join(root, "sub", "f"), "x"))).toMatch(/symbolic link.*outside/);
    expect(() => readFileSync(join(outside, "f"))).toThrow();
  });
  it("refuses a file that is a symbolic link to outside, and leaves the link and its target alone", () => {
    const { root, outside } = fresh();
    writeFileSync(join(outside, "victim"), "keep");
    symlinkSync(join(outside, "victim"), join(root, "f"));
    expect(refused(() => writeGuarded(root, join(root, "f"), "x"))).toMatch(/symbolic link.*outside/);
    expect(readFileSync(join(outside, "victim"), "utf8")).toBe("keep");
    expect(lstatSync(join(root, "f")).isSymbolicLink()).toBe(true);
  });
  it("writes through a symbolic link to a file inside the root; the link stays a link", () => {
    const { root } = fresh();
    writeFileSync(join(root, "real.yaml"), "old");
    symlinkSync("real.yaml", join(root, "link.yaml"));
    const wrote = writeGuarded(root, join(root, "link.yaml"), "new");
    expect(wrote.via).toBe("symlink");
    expect(readFileSync(join(root, "real.yaml"), "utf8")).toBe("new");
    expect(readlinkSync(join(root, "link.yaml"))).toBe("real.yaml");
  });
  it("refuses a dangling symbolic link instead of replacing it", () => {
    const { root } = fresh();
    symlinkSync("nowhere", join(root, "f"));
    expect(refused(() => writeGuarded(root, join(root, "f"), "x"))).toMatch(/link to nothing/);
  });
  it("never writes through a hard link: the name inside the root gets a new file, the name outside keeps its bytes", () => {
    const { root, outside } = fresh();
    writeFileSync(join(outside, "victim"), "precious");
    linkSync(join(outside, "victim"), join(root, "f"));
    const wrote = writeGuarded(root, join(root, "f"), "new");
    expect(wrote.hardLinks).toBe(1);
    expect(readFileSync(join(root, "f"), "utf8")).toBe("new");
    expect(readFileSync(join(outside, "victim"), "utf8")).toBe("precious");
    expect(statSync(join(outside, "victim")).nlink).toBe(1);
    expect(lstatSync(join(root, "f")).ino).not.toBe(lstatSync(join(outside, "victim")).ino);
  });
  it("a symbolic link inside the root to a hard-linked file: written through the link, the other name keeps its bytes", () => {
    const { root, outside } = fresh();
    writeFileSync(join(outside, "victim"), "precious");
    linkSync(join(outside, "victim"), join(root, "real"));
    symlinkSync("real", join(root, "link"));
    const wrote = writeGuarded(root, join(root, "link"), "new");
    expect(wrote).toMatchObject({ via: "symlink", hardLinks: 1 });
    expect(readFileSync(join(root, "real"), "utf8")).toBe("new");
    expect(readlinkSync(join(root, "link"))).toBe("real");
    expect(readFileSync(join(outside, "victim"), "utf8")).toBe("precious");
  });
  it("keeps the permissions of the file it replaces", () => {
    const { root } = fresh();
    writeFileSync(join(root, "s.sh"), "old");
    chmodSync(join(root, "s.sh"), 0o750);
    writeGuarded(root, join(root, "s.sh"), "new");
    expect(lstatSync(join(root, "s.sh")).mode & 0o777).toBe(0o750);
  });
  // decided by the mode bits, so it holds as root too (access(W_OK) is always true for root)
  it.each([0o444, 0o400, 0o555])("refuses a read-only file (mode %o) with a message, whoever runs it", (mode) => {
    const { root } = fresh();
    writeFileSync(join(root, "ro.yaml"), "old");
    chmodSync(join(root, "ro.yaml"), mode);
    expect(refused(() => writeGuarded(root, join(root, "ro.yaml"), "new"))).toMatch(/read-only/);
    expect(readFileSync(join(root, "ro.yaml"), "utf8")).toBe("old");
  });
  it("refuses a read-only file behind a symbolic link inside the root", () => {
    const { root } = fresh();
    writeFileSync(join(root, "ro.yaml"), "old");
    chmodSync(join(root, "ro.yaml"), 0o444);
    symlinkSync("ro.yaml", join(root, "link.yaml"));
    expect(refused(() => writeGuarded(root, join(root, "link.yaml"), "new"))).toMatch(/read-only/);
    expect(readFileSync(join(root, "ro.yaml"), "utf8")).toBe("old");
  });
  it("with `owned`, replaces an existing file only when it is the caller's own", () => {
    const { root } = fresh();
    const owned = { what: "a baseline", is: (b: Buffer) => b.toString() === "mine" };
    writeFileSync(join(root, "user.json"), "{}");
    expect(refused(() => writeGuarded(root, join(root, "user.json"), "new", { owned }))).toMatch(/exists and is not a baseline/);
    expect(readFileSync(join(root, "user.json"), "utf8")).toBe("{}");
    writeFileSync(join(root, "ours.json"), "mine");
    writeGuarded(root, join(root, "ours.json"), "new", { owned });
    expect(readFileSync(join(root, "ours.json"), "utf8")).toBe("new");
    writeGuarded(root, join(root, "fresh.json"), "new", { owned });
    expect(readFileSync(join(root, "fresh.json"), "utf8")).toBe("new");
  });
  it("refuses a FIFO or a folder in the file's place", () => {
    const { root } = fresh();
    execFileSync("mkfifo", [join(root, "fifo")]);
    mkdirSync(join(root, "dir"));
    expect(refused(() => writeGuarded(root, join(root, "fifo"), "x"))).toMatch(/not a regular file/);
    expect(refused(() => writeGuarded(root, join(root, "dir"), "x"))).toMatch(/not a regular file/);
  });
  it("refuses a file in the way of a folder", () => {
    const { root } = fresh();
    writeFileSync(join(root, "a"), "");
    expect(refused(() => writeGuarded(root, join(root, "a", "b"), "x"))).toMatch(/is a file, not a folder/);
  });
});

describe("removeGuarded", () => {
  it("refuses a file reached through a folder that is a symbolic link to outside; the target stays", () => {
    const { root, outside } = fresh();
    writeFileSync(join(outside, "policy.json"), "precious");
    symlinkSync(outside, join(root, "gone"));
    expect(refused(() => removeGuarded(root, join(root, "gone", "policy.json")))).toMatch(/symbolic link.*outside.*will not remove/);
    expect(readFileSync(join(outside, "policy.json"), "utf8")).toBe("precious");
  });
  it("refuses a name that is itself a symbolic link: neither the link nor its target is removed", () => {
    const { root, outside } = fresh();
    writeFileSync(join(outside, "victim"), "precious");
    symlinkSync(join(outside, "victim"), join(root, "f"));
    expect(refused(() => removeGuarded(root, join(root, "f")))).toMatch(/symbolic link.*will not remove/);
    expect(lstatSync(join(root, "f")).isSymbolicLink()).toBe(true);
    expect(readFileSync(join(outside, "victim"), "utf8")).toBe("precious");
  });
  it("refuses a path whose text leaves the root, and a read-only file", () => {
    const { root, outside } = fresh();
    writeFileSync(join(outside, "f"), "x");
    expect(refused(() => removeGuarded(root, join(root, "..", "outside", "f")))).toMatch(/outside/);
    writeFileSync(join(root, "ro"), "x");
    chmodSync(join(root, "ro"), 0o444);
    expect(refused(() => removeGuarded(root, join(root, "ro")))).toMatch(/read-only/);
    expect(existsSync(join(outside, "f")) && existsSync(join(root, "ro"))).toBe(true);
  });
  it("removes a file through a symbolic-linked folder inside the root, and only this name of a hard-linked file", () => {
    const { root, outside } = fresh();
    mkdirSync(join(root, "real"));
    writeFileSync(join(root, "real", "a"), "x");
    symlinkSync("real", join(root, "alias"));
    removeGuarded(root, join(root, "alias", "a"));
    expect(existsSync(join(root, "real", "a"))).toBe(false);
    writeFileSync(join(outside, "victim"), "precious");
    linkSync(join(outside, "victim"), join(root, "b"));
    removeGuarded(root, join(root, "b"));
    expect(existsSync(join(root, "b"))).toBe(false);
    expect(readFileSync(join(outside, "victim"), "utf8")).toBe("precious");
  });
  it("removeEmptyFolder never removes a folder reached through a link to outside, nor a linked folder", () => {
    const { root, outside } = fresh();
    mkdirSync(join(outside, "empty"));
    symlinkSync(outside, join(root, "gone"));
    removeEmptyFolder(root, join(root, "gone", "empty"));
    expect(existsSync(join(outside, "empty"))).toBe(true);
    removeEmptyFolder(root, join(root, "gone"));
    expect(lstatSync(join(root, "gone")).isSymbolicLink()).toBe(true);
    mkdirSync(join(root, "mine"));
    removeEmptyFolder(root, join(root, "mine"));
    expect(existsSync(join(root, "mine"))).toBe(false);
  });
});

describe("text shape", () => {
  const roundTrip = (bytes: Buffer) => {
    const decoded = decodeText(bytes);
    if ("error" in decoded) throw new Error(decoded.error);
    return encodeAs(decoded.text, shapeOf(bytes, decoded.text));
  };
  it.each([
    ["UTF-8 with a BOM", Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from("image: k8s.gcr.io/pause\n")])],
    ["UTF-16LE with a BOM", Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from("image: é\r\n", "utf16le")])],
    ["UTF-16BE with a BOM", Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from("image: x\n", "utf16le").swap16()])],
    ["CRLF", Buffer.from("a: 1\r\nb: 2\r\n")],
    ["plain UTF-8", Buffer.from("a: 1\nb: 2\n")],
  ])("%s is written back byte for byte", (_label, bytes) => {
    expect(roundTrip(bytes).equals(bytes)).toBe(true);
  });
});

describe("strict exemption dates", () => {
  it.each(["2027-02-30", "2027-02-29", "2027-13-01", "2027-04-31", "2027-01-01T24:00:00Z", "2027-01-01T10:60Z", "2027-01-01T00:00:00+15:00", "2027-1-1"])("%s is refused", (d) => {
    expect(parseStrictDate(d)).toHaveProperty("problem");
  });
  it.each([["2028-02-29", "2028-02-29T00:00:00.000Z"], ["2027-03-31T23:59:59Z", "2027-03-31T23:59:59.000Z"], ["2027-03-31T01:00:00+01:00", "2027-03-31T00:00:00.000Z"]])("%s is %s", (d, iso) => {
    const parsed = parseStrictDate(d);
    expect("time" in parsed && new Date(parsed.time).toISOString()).toBe(iso);
  });
});
