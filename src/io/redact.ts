// The one redaction, applied at the output boundary (src/cli/run.ts wraps stdout and stderr with
// it), so no command, library error or --json document can print a credential, whatever path the
// text took to get there: the Azure SDK, undici and Node embed raw URLs in their errors.
//   - URL userinfo: https://user:password@host → https://***@host (also when the "password"
//     holds a '/', which makes it no URL at all but still a secret);
//   - query secrets: the SAS signature and fields (sig, se, sv, ...), token, code, key, secret,
//     password, X-Amz-/X-Goog- signatures, and any value that looks like a token (long, mixed
//     letters and digits) → name=***;
//   - connection-string secrets (AccountKey=, SharedAccessSignature=, Password=) and bearer tokens;
//   - a JSON member named like a secret ("refresh_token": "…", "password": "…"), as a token
//     endpoint (ACR's /oauth2/exchange) answers it.
// Names and hosts stay, so the message still says which URL failed.

const SECRET_PARAMS = "sig|signature|se|sv|sp|st|spr|srt|ss|sr|skoid|sktid|skt|ske|sks|skv|saoid|suoid|scid|token|access_token|id_token|refresh_token|code|key|apikey|api_key|api-key|secret|client_secret|password|passwd|pwd|auth|authorization|credential|credentials|sas|x-amz-signature|x-amz-credential|x-amz-security-token|x-goog-signature|x-goog-credential";
// a value stops at what ends a URL in prose or JSON: whitespace, quotes, a backslash (JSON escape), brackets, ';' or ','
const VALUE = String.raw`[^&#\s"'\\<>()[\]{};,]*`;
const NAMED_SECRET = new RegExp(String.raw`([?&](?:${SECRET_PARAMS})=)${VALUE}`, "gi");
const ANY_PARAM = new RegExp(String.raw`([?&][A-Za-z0-9_.~%-]+=)(${VALUE})`, "g");
const USERINFO = /([a-z][a-z0-9+.-]*:\/\/)[^\s/?#@"'\\<>]*@/gi;
// "https://user:pa/ss@host": not a URL, but the part before '@' is still a password (a port
// followed by a path, https://host:443/a@b, is not)
const BROKEN_USERINFO = /([a-z][a-z0-9+.-]*:\/\/)[^\s/?#@:"'\\<>]*:(?!\d+(?:[/?#\s"']|$))[^\s@"'\\<>]*@/gi;
const CONNECTION_SECRET = /\b(AccountKey|SharedAccessKey|SharedAccessSignature|Password|Pwd|ClientSecret)=([^;\s"'\\]+)/gi;
const BEARER = /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{8,}/g;
// a token answer quoted as JSON (an OAuth or ACR token endpoint's body: "refresh_token": "eyJ…")
// (only these names: azpol's own JSON has members such as "code" and "key" that are no secret)
const JSON_SECRET = /("(?:access_token|refresh_token|id_token|client_secret|password)"\s*:\s*")(?:[^"\\]|\\.)+(")/gi;

/** A value that looks like a token: long, and letters mixed with digits or symbols. */
function tokenLike(value: string): boolean {
  return value.length >= 20 && /[A-Za-z]/.test(value) && /[0-9%+/=_-]/.test(value) && !/^[a-z-]+$/i.test(value);
}

export function redactSecrets(text: string): string {
  if (!/[:=]/.test(text)) return text;
  return text
    .replace(BROKEN_USERINFO, "$1***@")
    .replace(USERINFO, "$1***@")
    .replace(NAMED_SECRET, "$1***")
    .replace(ANY_PARAM, (whole, name: string, value: string) => (tokenLike(value) ? `${name}***` : whole))
    .replace(CONNECTION_SECRET, "$1=***")
    .replace(BEARER, "$1 ***")
    .replace(JSON_SECRET, "$1***$2");
}

/** Userinfo in a URL azpol is told to fetch or record: refused, never sent nor printed. */
export function userinfoProblem(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*@/i.test(url) ? "carries a user name or password" : undefined;
  }
  return parsed.username !== "" || parsed.password !== "" ? "carries a user name or password" : undefined;
}
