// Redaction for anything that leaves the machine (the CLI's --redact, VS Code's "Copy report"):
// credentials in URLs, the home directory, the user name.

export interface RedactOptions {
  /** Home directory, replaced by `~`. */
  home?: string;
  /** User name, replaced by `<user>` where it stands as a word. */
  user?: string;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** `scheme://user:password@host` and `scheme://token@host` → `scheme://***@host`. */
const URL_CREDENTIALS = /\b([a-z][a-z0-9+.-]*:\/\/)([^\s/?#@"'<>]+)@/gi;

export function redactUrlCredentials(text: string): string {
  return text.replace(URL_CREDENTIALS, '$1***@');
}

/** Names that say their value is a secret: `GITHUB_TOKEN`, `sonarlint.token`, `--password`, `api_key`. */
const SECRET_NAME = /(token|secret|passw(?:or)?d|pwd|passphrase|api[-_]?key|access[-_]?key|private[-_]?key|credential|auth)/i;

export function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name);
}

/** `"x.token": "v"` (JSON), `X_TOKEN=v` / `--token=v` / `--token v` (env, flags). */
const SECRET_ASSIGNMENTS: RegExp[] = [
  /("[^"\n]*(?:token|secret|passw(?:or)?d|pwd|passphrase|api[-_]?key|access[-_]?key|private[-_]?key|credential|auth)[^"\n]*"\s*:\s*")((?:[^"\\\n]|\\.)+)(")/gi,
  /((?:^|[\s'"(,;&|?=])-{0,2}[A-Za-z0-9_.-]*(?:token|secret|passw(?:or)?d|pwd|passphrase|api[-_]?key|access[-_]?key|private[-_]?key|credential|auth)[A-Za-z0-9_.-]*=)([^\s'",;&|)]+)/gi,
  /((?:^|\s)--?[A-Za-z0-9_.-]*(?:token|secret|passw(?:or)?d|pwd|passphrase|api[-_]?key)[A-Za-z0-9_.-]*\s+)([^\s'"-][^\s'",;]*)/gi,
];

/** Well-known token shapes, wherever they stand, and HTTP Authorization values. */
const TOKEN_SHAPES: RegExp[] = [
  /\b(?:gh[opusr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,})/g, // GitHub
  /\bglpat-[A-Za-z0-9_-]{20,}/g, // GitLab
  /\bxox[abprs]-[A-Za-z0-9-]{10,}/g, // Slack
  /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/g, // AWS access key id
  /\bsq[apu]_[0-9a-f]{20,}/g, // SonarQube
  /\bnpm_[A-Za-z0-9]{30,}/g, // npm
  /\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g, // JWT
  /\b((?:Bearer|Basic)\s+)(?=[A-Za-z0-9._~+/=-]*[0-9+/=])[A-Za-z0-9._~+/=-]{8,}/g, // Authorization header values
];

/** Secrets that are not in URLs: values of secret-named variables, settings and flags; token shapes. */
export function redactSecrets(text: string): string {
  let out = text;
  // Replacers get (match, ...groups, offset, text): a group that is not there is a number.
  for (const re of SECRET_ASSIGNMENTS) out = out.replace(re, (_m, pre: string, _v: string, post: unknown) => `${pre}***${typeof post === 'string' ? post : ''}`);
  for (const re of TOKEN_SHAPES) out = out.replace(re, (_m, pre: unknown) => (typeof pre === 'string' ? `${pre}***` : '***'));
  return out;
}

/** Redact one string. */
export function redactText(text: string, opts: RedactOptions = {}): string {
  let out = redactSecrets(redactUrlCredentials(text));
  const home = opts.home?.replace(/[\\/]+$/, '');
  if (home && home.length > 1) {
    const variants = new Set([home, home.replace(/\\/g, '/')]);
    for (const h of variants) {
      // The home directory itself, or followed by a separator; not /home/gopherine for /home/gopher.
      out = out.replace(new RegExp(`${escapeRegExp(h)}(?=$|[\\\\/"'\\s:;,)\\]}])`, 'g'), '~');
    }
  }
  const user = opts.user;
  if (user && user.length > 1) {
    out = out.replace(new RegExp(`(?<![A-Za-z0-9_-])${escapeRegExp(user)}(?![A-Za-z0-9_-])`, 'g'), '<user>');
  }
  return out;
}

/** Redact every string (keys too) in a JSON-like value; returns a copy. The string value of a
 * secret-named key (`GITHUB_TOKEN`, `go.toolsEnvVars.NPM_AUTH`) is replaced whole. */
export function redactValue<T>(value: T, opts: RedactOptions = {}): T {
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return redactText(v, opts);
    if (Array.isArray(v)) return v.map(walk);
    if (typeof v === 'object' && v !== null) {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) out[redactText(k, opts)] = typeof x === 'string' && x !== '' && isSecretName(k) ? '***' : walk(x);
      return out;
    }
    return v;
  };
  return walk(value) as T;
}

/** Home and user name of this environment, for redaction. */
export function redactOptionsFromEnv(env: NodeJS.ProcessEnv): RedactOptions {
  const home = env.HOME ?? env.USERPROFILE;
  const user = env.USER ?? env.USERNAME ?? env.LOGNAME;
  const opts: RedactOptions = {};
  if (home) opts.home = home;
  if (user) opts.user = user;
  return opts;
}
