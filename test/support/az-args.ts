// An option's value in an az command line as az's argparse reads it: `--flag value` or
// `--flag=value` (create.sh uses the second, so a value starting with '-' stays a value).
export function azArg(args: readonly string[] | undefined, flag: string): string | undefined {
  if (!args) return undefined;
  const joined = args.find((a) => a.startsWith(`${flag}=`));
  if (joined !== undefined) return joined.slice(flag.length + 1);
  const i = args.indexOf(flag);
  return i < 0 ? undefined : args[i + 1];
}

/** The same, as JavaScript source for a stand-in `az` script (a = its arguments). */
export const AZ_ARG_JS = `const arg = (flag) => { const j = a.find((x) => x.startsWith(flag + "=")); return j !== undefined ? j.slice(flag.length + 1) : a[a.indexOf(flag) + 1]; };`;
