// Command-line arguments of the headless doctor.

export interface CliArgs {
  /** Folder or `*.code-workspace`; default: the current directory. */
  target?: string;
  json: boolean;
  fix: boolean;
  userSettings?: string;
  snapshotOut?: string;
  timeoutMs?: number;
  noColor: boolean;
  redact: boolean;
  untrusted: boolean;
  /** Where probe results are cached between runs (default: defaultCacheDir()). */
  cacheDir?: string;
  /** Run every probe; read and write no cache. */
  noCache?: boolean;
  /** A VS Code extension host log dir whose gopls output logs to read (GSD804). */
  vscodeLogs?: string;
  help: boolean;
}

export const USAGE = `usage: go-setup-doctor [folder|file.code-workspace] [options]

Diagnoses the Go setup VS Code's Go extension would see for a folder or workspace.

options:
  --json                 print the Report as JSON (nothing else on stdout)
  --fix                  apply every safe fix to the files on disk, then diagnose again
  --user-settings FILE   VS Code user settings file (default: the standard location)
  --snapshot-out FILE    also write the gathered Snapshot as JSON to FILE
  --timeout MS           timeout of each probe command (default 5000 for go, 3000 for tools)
  --redact               hide credentials in URLs, the home directory and the user name
  --untrusted            treat the workspace as untrusted (Restricted Mode)
  --cache-dir DIR        cache go/gopls/dlv probe results in DIR, reused while the binaries,
                         environment and go.mod/go.work are unchanged
                         (default: $XDG_CACHE_HOME/go-setup-doctor or ~/.cache/go-setup-doctor)
  --no-cache             run every probe; read and write no cache
  --vscode-logs DIR      also read the gopls output logs VS Code wrote for a window: DIR is its
                         extension host log dir, e.g. ~/.config/Code/logs/<session>/window1/exthost
  --no-color             plain output even on a terminal
  -h, --help             this text

exit status: 0 no errors, 1 errors remain, 2 bad usage, 3 the diagnosis itself failed`;

export type ParseResult = { ok: true; args: CliArgs } | { ok: false; error: string };

export function parseArgs(argv: string[]): ParseResult {
  const args: CliArgs = { json: false, fix: false, noColor: false, redact: false, untrusted: false, help: false };
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = (): string | undefined => {
      const eq = a.indexOf('=');
      if (eq >= 0) return a.slice(eq + 1);
      const v = argv[i + 1];
      if (v === undefined || (v.startsWith('--') && v.length > 2)) return undefined;
      i++;
      return v;
    };
    const flag = a.includes('=') ? a.slice(0, a.indexOf('=')) : a;
    switch (flag) {
      case '--json':
        args.json = true;
        break;
      case '--fix':
        args.fix = true;
        break;
      case '--no-color':
        args.noColor = true;
        break;
      case '--redact':
        args.redact = true;
        break;
      case '--untrusted':
        args.untrusted = true;
        break;
      case '--no-cache':
        args.noCache = true;
        break;
      case '--vscode-logs': {
        const v = value();
        if (!v) return { ok: false, error: '--vscode-logs needs a directory' };
        args.vscodeLogs = v;
        break;
      }
      case '--cache-dir': {
        const v = value();
        if (!v) return { ok: false, error: '--cache-dir needs a directory' };
        args.cacheDir = v;
        break;
      }
      case '-h':
      case '--help':
        args.help = true;
        break;
      case '--user-settings': {
        const v = value();
        if (!v) return { ok: false, error: '--user-settings needs a file' };
        args.userSettings = v;
        break;
      }
      case '--snapshot-out': {
        const v = value();
        if (!v) return { ok: false, error: '--snapshot-out needs a file' };
        args.snapshotOut = v;
        break;
      }
      case '--timeout': {
        const v = value();
        const n = v === undefined ? NaN : Number(v);
        if (!Number.isInteger(n) || n <= 0) return { ok: false, error: `--timeout needs a positive number of milliseconds, got ${v ?? 'nothing'}` };
        args.timeoutMs = n;
        break;
      }
      default:
        if (a.startsWith('-') && a !== '-') return { ok: false, error: `unknown option ${a}` };
        positional.push(a);
    }
  }
  if (positional.length > 1) return { ok: false, error: `one folder or workspace file expected, got ${positional.length}: ${positional.join(' ')}` };
  if (positional.length === 1) args.target = positional[0];
  return { ok: true, args };
}
