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

/** Redact one string. */
export function redactText(text: string, opts: RedactOptions = {}): string {
  let out = redactUrlCredentials(text);
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

/** Redact every string (keys too) in a JSON-like value; returns a copy. */
export function redactValue<T>(value: T, opts: RedactOptions = {}): T {
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return redactText(v, opts);
    if (Array.isArray(v)) return v.map(walk);
    if (typeof v === 'object' && v !== null) {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) out[redactText(k, opts)] = walk(x);
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
