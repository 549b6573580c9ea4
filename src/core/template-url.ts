// What a PublicURL template's address may not be, checked where a definition is written with one
// (`new --template-url`, both `new` paths) and, as AZP3003/AZP3005, where one is validated.
// The URL goes into the definition source (a file meant for git) and into templateInfo.url,
// which Azure stores and shows in clear: a user name, password, SAS or token in it is a secret
// handed to everyone who can read the repository or the policy. Azure's own guidance is not to
// put secrets there; the add-on fetches templates anonymously.
export const SECRET_QUERY = /(^|&)(sig|se|sv|sp|st|token|code|access_token|x-amz-signature)=/i;

/** Why `url` cannot be a PublicURL template's address, or undefined when it can. */
export function templateUrlProblem(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return "is not a URL; use https://host/path/template.yaml";
  }
  if (parsed.protocol !== "https:") return "must be an https:// URL (Azure fetches PublicURL templates over https)";
  if (parsed.username !== "" || parsed.password !== "") return "carries a user name or password; the add-on fetches templates anonymously, and azpol neither sends nor prints credentials: remove 'user:password@'";
  if (SECRET_QUERY.test(parsed.search.slice(1))) return "has a query string that looks like a SAS or token; it would be written into the definition source and into templateInfo.url, which Azure stores in clear, and the add-on fetches templates anonymously: host the template publicly (azpol publish)";
  return undefined;
}
