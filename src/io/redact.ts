// The one redaction, applied at the output boundary (src/cli/output-boundary.ts wraps stdout and stderr with
// it), so no command, library error or --json document can print a credential, whatever path the
// text took to get there: the Azure SDK, undici and Node embed raw URLs in their errors.
//   - URL userinfo: https://user:password@host → https://***@host. Userinfo ends at the LAST '@'
//     before the host's path (WHATWG URL, "authority state": a password may hold '@'), so
//     https://a:S3cr@tPass@host hides all of "a:S3cr@tPass"; also when the "password" holds a
//     '/' (no URL at all, but still a secret), a quote, and in a percent-encoded URL (a
//     redirect_uri=https%3A%2F%2Fu%3Ap%40host) or a JSON-escaped one (https:\/\/u:p@host);
//   - query secrets: the SAS signature and fields (sig, se, sv, ...), token, code, key, secret,
//     password, X-Amz-/X-Goog- signatures, and any value that looks like a token (long, mixed
//     letters and digits) → name=***;
//   - connection-string secrets (AccountKey=, SharedAccessSignature=, Password=) and bearer tokens;
//   - a JSON member named like a secret ("refresh_token": "…", "password": "…"), as a token
//     endpoint (ACR's /oauth2/exchange) answers it.
// Renderers that escape (JUnit XML, Markdown cells) redact the raw text before escaping, and the
// boundary redacts a JSON document's strings before they are JSON-escaped; as a second line, the
// patterns here also know the escaped forms text arrives in when it was escaped before azpol saw
// it (a URL pasted from HTML: &amp;sig=, percent-encoded: %26sig%3D, JSON: \u0026sig=, \"password\").
// Names and hosts stay, so the message still says which URL failed.

const SECRET_PARAMS = "sig|signature|se|sv|sp|st|spr|srt|ss|sr|skoid|sktid|skt|ske|sks|skv|saoid|suoid|scid|token|access_token|id_token|refresh_token|code|key|apikey|api_key|api-key|secret|client_secret|password|passwd|pwd|auth|authorization|credential|credentials|sas|x-amz-signature|x-amz-credential|x-amz-security-token|x-goog-signature|x-goog-credential";
// what starts a query parameter: ? or &, also escaped for HTML/XML, percent-encoded or JSON-escaped
const PARAM_START = String.raw`(?:[?&]|&amp;|&#0*38;|&#x0*26;|%26|%3F|\\u0026|\\u003f|\\x26)`;
const EQUALS = String.raw`(?:=|%3D|&#0*61;|&#x0*3d;|\\u003d)`;
// a value stops at what ends a URL in prose or JSON: whitespace, quotes, a backslash (JSON escape), brackets, ';' or ','
const VALUE = String.raw`[^&#\s"'\\<>()[\]{};,]*`;
const NAMED_SECRET = new RegExp(String.raw`(${PARAM_START}(?:${SECRET_PARAMS})${EQUALS})${VALUE}`, "gi");
const ANY_PARAM = new RegExp(String.raw`(${PARAM_START}[A-Za-z0-9_.~%-]+?${EQUALS})(${VALUE})`, "gi");
// "://" as written, or JSON-escaped (":\/\/")
const SCHEME = String.raw`([a-z][a-z0-9+.-]*:(?:\/\/|\\\/\\\/))`;
// a quote ends a URL in prose and JSON ("url": "https://h", "a@b") unless more authority follows it
const QUOTE_INSIDE = String.raw`(?:\\?["'](?![\s,;:)\]}>/?#"'\\]|$))`;
// the authority up to its last '@' (greedy, then back to the last '@'): userinfo by WHATWG's rule
const USERINFO = new RegExp(String.raw`${SCHEME}(?:[^\s/?#\\"'<>]|${QUOTE_INSIDE})*@`, "gi");
// "https://user:pa/ss@host": not a URL, but the part before '@' is still a password (a port
// followed by a path, https://host:443/a@b, is not); '@'s after the '/' that are followed by
// another '@' belong to the password too (https://u:p/a@s@host)
const BROKEN_USERINFO = /([a-z][a-z0-9+.-]*:\/\/)[^\s/?#@:"'\\<>]*:(?!\d+(?:[/?#\s"']|$))[^\s@"'\\<>]*(?:@[^\s/@"'\\<>]*(?=@))*@/gi;
// a URL inside a URL's query, percent-encoded: https%3A%2F%2Fuser%3Apass%40host
const ENCODED_USERINFO = /([a-z][a-z0-9+.-]*%3A%2F%2F)(?:(?!%2F|%3F|%23)[^\s/?#&"'\\<>])*%40/gi;
const CONNECTION_SECRET = /\b(AccountKey|SharedAccessKey|SharedAccessSignature|Password|Pwd|ClientSecret)=([^;\s"'\\]+)/gi;
const BEARER = /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{8,}/g;
// a token answer quoted as JSON (an OAuth or ACR token endpoint's body: "refresh_token": "eyJ…")
// (only these names: azpol's own JSON has members such as "code" and "key" that are no secret),
// also when that JSON sits inside a JSON string (\"password\": \"…\") or in XML/HTML (&quot;)
const JSON_SECRET_NAMES = "access_token|refresh_token|id_token|client_secret|password";
const JSON_SECRET = new RegExp(String.raw`("(?:${JSON_SECRET_NAMES})"\s*:\s*")(?:[^"\\]|\\.)+(")`, "gi");
const ESCAPED_JSON_SECRET = new RegExp(String.raw`(\\+"(?:${JSON_SECRET_NAMES})\\+"\s*:\s*\\+")(?:[^"\\]|\\+[^"\\])+(\\+")`, "gi");
const QUOT = "(?:&quot;|&#0*34;|&#x0*22;)";
const HTML_JSON_SECRET = new RegExp(String.raw`(${QUOT}(?:${JSON_SECRET_NAMES})${QUOT}\s*:\s*${QUOT})(?:(?!${QUOT})[^"<])+(${QUOT})`, "gi");

/** A value that looks like a token: long, and letters mixed with digits or symbols. */
function tokenLike(value: string): boolean {
  return value.length >= 20 && /[A-Za-z]/.test(value) && /[0-9%+/=_-]/.test(value) && !/^[a-z-]+$/i.test(value);
}

// What each pattern cannot match without (a literal every match contains). Tested on the text as it
// stands before each replacement, so skipping a pattern whose literal is absent changes nothing; it
// spares every --help and most messages compiling and running the patterns above (~2 ms on a
// process's first output).
const HAS_SCHEME = (t: string) => t.includes("://") || t.includes(":\\/\\/");
const HAS_ENCODED_SCHEME = /%3A%2F%2F/i;
const HAS_PARAM_START = /[?&]|%26|%3f|\\u00(?:26|3f)|\\x26/i;
const HAS_CONNECTION_NAME = /(?:AccountKey|SharedAccessKey|SharedAccessSignature|Password|Pwd|ClientSecret)=/i;
const HAS_JSON_SECRET_NAME = new RegExp(JSON_SECRET_NAMES, "i");

export function redactSecrets(text: string): string {
  if (!/[:=%]/.test(text)) return text;
  let t = text;
  if (HAS_SCHEME(t)) t = t.replace(BROKEN_USERINFO, "$1***@").replace(USERINFO, "$1***@");
  if (HAS_ENCODED_SCHEME.test(t)) t = t.replace(ENCODED_USERINFO, "$1***%40");
  if (HAS_PARAM_START.test(t)) t = t.replace(NAMED_SECRET, "$1***").replace(ANY_PARAM, (whole, name: string, value: string) => (tokenLike(value) ? `${name}***` : whole));
  if (HAS_CONNECTION_NAME.test(t)) t = t.replace(CONNECTION_SECRET, "$1=***");
  if (t.includes("Bearer") || t.includes("Basic")) t = t.replace(BEARER, "$1 ***");
  if (HAS_JSON_SECRET_NAME.test(t)) t = t.replace(JSON_SECRET, "$1***$2").replace(ESCAPED_JSON_SECRET, "$1***$2").replace(HTML_JSON_SECRET, "$1***$2");
  return t;
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
