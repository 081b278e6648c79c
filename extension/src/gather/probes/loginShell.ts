// The login-shell probe: run the user's own shell the way VS Code resolves the shell environment
// when it is not started from a terminal (microsoft/vscode src/vs/platform/shell/node/shellEnv.ts:
// `$SHELL -i -l -c <command>`, output between markers because profiles print banners), and
// print what it sees: PATH and the Go variables, where `go` and the Go tools resolve, and the
// terminal go's version and GOROOT. Recorded raw as a CommandRun; the engine compares (GSD110,
// GSD111, GSD310).
//
// The shell comes from the extension host's own environment ($SHELL) or the passwd entry, never
// from settings. stdin is closed, the shell leads its own process group (exec.ts), so a hanging
// profile is killed with everything it started after the timeout and becomes a GSD901 finding.
// Also: the pin files of version managers (.tool-versions, .go-version, mise.toml, .mise.toml)
// from the workspace folder up to the home directory.
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { CommandRun } from '../../engine/generated/CommandRun';
import type { FileText } from '../../engine/generated/FileText';
import type { SkippedProbe } from '../../engine/generated/SkippedProbe';
import { MemoryProbeCache, type ProbeCache } from '../cache';
import type { Exec } from '../exec';

export const LOGIN_SHELL_TIMEOUT_MS = 3000;
export const SCRIPT_VAR = 'GSD_LOGIN_SHELL_SCRIPT';
export const BEGIN = '@@gsd-login-shell-begin@@';
export const END = '@@gsd-login-shell-end@@';
/** Must match TOOLS in crates/engine/src/rules/shell.rs. */
export const SHELL_TOOLS = ['go', 'gopls', 'dlv', 'staticcheck', 'golangci-lint', 'goimports', 'gofumpt'];
export const SHELL_VARS = ['GOROOT', 'GOPATH', 'GOBIN', 'GOFLAGS', 'GO111MODULE', 'GOTOOLCHAIN'];

export type ShellKind = 'posix' | 'fish';

/** Which script dialect a shell speaks, by its name; undefined for shells we do not run (csh, nu, pwsh, ...). */
export function shellKind(shell: string): ShellKind | undefined {
  const name = path.basename(shell).replace(/\.exe$/i, '');
  if (['bash', 'zsh', 'sh', 'dash', 'ksh', 'mksh', 'yash', 'ash'].includes(name)) return 'posix';
  if (name === 'fish') return 'fish';
  return undefined;
}

/**
 * The script run by the login shell. Every line is safe under `set -e` in a profile (no bare
 * failing command), prints with printf (no echo quirks), and runs go with GOTOOLCHAIN=local so a
 * go.mod never makes it download a toolchain.
 */
export function loginShellScript(kind: ShellKind): string {
  const lines: string[] = [];
  if (kind === 'posix') {
    lines.push(`printf '\\n%s\\n' '${BEGIN}'`, `printf 'env PATH=%s\\n' "$PATH"`);
    for (const v of SHELL_VARS) lines.push(`if [ -n "\${${v}+x}" ]; then printf 'env ${v}=%s\\n' "$${v}"; fi`);
    for (const t of SHELL_TOOLS) lines.push(`if p=$(command -v ${t} 2>/dev/null); then printf 'which ${t}=%s\\n' "$p"; fi`);
    lines.push(
      `if command -v go >/dev/null 2>&1; then printf 'go version=%s\\n' "$(GOTOOLCHAIN=local go version 2>&1 | head -n 1)"; printf 'go root=%s\\n' "$(GOTOOLCHAIN=local go env GOROOT 2>/dev/null)"; fi`,
      `printf '%s\\n' '${END}'`,
    );
  } else {
    lines.push(`printf '\\n%s\\n' '${BEGIN}'`, `printf 'env PATH=%s\\n' (string join : $PATH)`);
    for (const v of SHELL_VARS) lines.push(`if set -q ${v}; printf 'env ${v}=%s\\n' "$${v}"; end`);
    for (const t of SHELL_TOOLS) lines.push(`if command -q ${t}; printf 'which ${t}=%s\\n' (command -v ${t})[1]; end`);
    lines.push(
      `if command -q go; printf 'go version=%s\\n' (env GOTOOLCHAIN=local go version 2>&1 | head -n 1); printf 'go root=%s\\n' (env GOTOOLCHAIN=local go env GOROOT 2>/dev/null); end`,
      `printf '%s\\n' '${END}'`,
    );
  }
  return lines.join('\n');
}

/** The user's shell: $SHELL of the environment, else the passwd entry. Never a setting. */
export function userShell(env: NodeJS.ProcessEnv, platform: NodeJS.Platform): string | undefined {
  if (platform === 'win32') return undefined;
  if (env.SHELL) return env.SHELL;
  try {
    return os.userInfo().shell ?? undefined;
  } catch {
    return undefined;
  }
}

/** Files a login (and interactive) shell of each kind reads; their identities key the cache. */
function profileFiles(home: string | undefined, env: NodeJS.ProcessEnv): string[] {
  const out = ['/etc/profile', '/etc/bash.bashrc', '/etc/zshenv', '/etc/zprofile', '/etc/zshrc', '/etc/zsh/zshenv', '/etc/zsh/zprofile', '/etc/zsh/zshrc', '/etc/fish/config.fish'];
  if (home) {
    const zdot = env.ZDOTDIR || home;
    out.push(
      ...['.profile', '.bash_profile', '.bash_login', '.bashrc', '.config/fish/config.fish'].map((f) => path.join(home, f)),
      ...['.zshenv', '.zprofile', '.zshrc', '.zlogin'].map((f) => path.join(zdot, f)),
    );
  }
  return out;
}

async function statKey(p: string): Promise<string | null> {
  try {
    const st = await fs.promises.stat(p, { bigint: true });
    return `${st.dev}:${st.ino}:${st.size}:${st.mtimeNs}:${st.ctimeNs}`;
  } catch {
    return null;
  }
}

/** The login shell's answers live as long as the extension host, keyed by every input we can name. */
export const loginShellCache: ProbeCache = new MemoryProbeCache(16);

async function cacheKey(argv: string[], cwd: string | undefined, env: NodeJS.ProcessEnv, timeoutMs: number): Promise<string> {
  const shellReal = await fs.promises.realpath(argv[0]).catch(() => argv[0]);
  const files = profileFiles(env.HOME, env);
  const ids = await Promise.all([shellReal, ...files].map(async (f) => [f, await statKey(f)]));
  const envPairs = Object.entries(env)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return createHash('sha256').update(JSON.stringify({ argv, cwd: cwd ?? null, timeoutMs, env: envPairs, ids })).digest('hex');
}

export interface LoginShellOptions {
  env: NodeJS.ProcessEnv;
  exec: Exec;
  platform: NodeJS.Platform;
  /** Where the shell starts: the workspace folder when trusted, else the home directory. */
  cwd?: string;
  timeoutMs?: number;
  /** Cache of complete runs; null for none. */
  cache?: ProbeCache | null;
}

/** Run the login shell once; `skipped` says why it was not run. Never throws. */
export async function probeLoginShell(opts: LoginShellOptions): Promise<{ run?: CommandRun; skipped?: SkippedProbe }> {
  const shell = userShell(opts.env, opts.platform);
  // Windows: no login shell whose profile VS Code's environment could lack; nothing to report.
  if (opts.platform === 'win32') return {};
  if (!shell) return { skipped: { probe: 'loginShell', reason: 'Neither $SHELL nor the passwd entry names a shell; the login shell was not run.' } };
  const kind = shellKind(shell);
  if (!kind) {
    return { skipped: { probe: 'loginShell', reason: `The login shell ${shell} is not one the probe speaks (sh, bash, zsh, dash, ksh, fish); not run.` } };
  }
  // The script travels in a variable (recorded in envOverrides) so that argv, which messages
  // show, stays short.
  const argv = [shell, '-i', '-l', '-c', kind === 'fish' ? `eval $${SCRIPT_VAR}` : `eval "$${SCRIPT_VAR}"`];
  const timeoutMs = opts.timeoutMs ?? LOGIN_SHELL_TIMEOUT_MS;
  const runEnv = { ...opts.env, [SCRIPT_VAR]: loginShellScript(kind) };
  const run = { cwd: opts.cwd, env: runEnv, baseEnv: opts.env, timeoutMs };
  const cache = opts.cache === undefined ? loginShellCache : opts.cache;
  const key = cache ? await cacheKey(argv, opts.cwd, runEnv, timeoutMs).catch(() => undefined) : undefined;
  if (cache && key) {
    const hit = await cache.get(key).catch(() => undefined);
    if (hit) return { run: { ...hit, cached: true } };
  }
  const result = await opts.exec(argv, run);
  const complete = result.exitCode === 0 && !result.timedOut && !result.truncated && result.stdout.includes(END);
  if (cache && key && complete) await cache.set(key, result).catch(() => undefined);
  return { run: result };
}

export const VERSION_FILE_NAMES = ['.mise.toml', 'mise.toml', '.tool-versions', '.go-version'];
const VERSION_FILE_MAX_BYTES = 64 * 1024;
const VERSION_FILE_MAX_LEVELS = 12;

/**
 * Pin files from `folder` up to `home` (inclusive; up to the root when the folder is not under
 * home), nearest first, at most 12 levels, files over 64 KiB skipped.
 */
export async function readVersionFiles(folder: string, home: string | undefined): Promise<FileText[]> {
  const out: FileText[] = [];
  let dir = path.resolve(folder);
  const stop = home ? path.resolve(home) : undefined;
  const underHome = stop !== undefined && (dir === stop || dir.startsWith(stop + path.sep));
  for (let level = 0; level < VERSION_FILE_MAX_LEVELS; level++) {
    for (const name of VERSION_FILE_NAMES) {
      const p = path.join(dir, name);
      try {
        const st = await fs.promises.stat(p);
        if (!st.isFile() || st.size > VERSION_FILE_MAX_BYTES) continue;
        out.push({ path: p, text: await fs.promises.readFile(p, 'utf8') });
      } catch {
        /* not there */
      }
    }
    if (underHome && dir === stop) break;
    const up = path.dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return out;
}
