// Cache of the expensive probe commands — `go version`, `go env -json`, `go version -m`,
// `go list -mod=readonly -m all` (the module check), `gopls version -json`, `dlv version` — keyed
// by every input their output depends on (for the module check also go.sum's identity):
//   - the binary: argv[0]'s realpath, device, inode, size, mtime, ctime (ns) and mode; for
//     `go version -m` also every binary it reads; for a golang.org/dl wrapper (go1.22.5, gotip)
//     also the SDK go it runs; on Windows the Scoop `<name>.shim` beside it;
//   - the full argv, cwd, timeout, the variables the run sets (envOverrides) and the values of
//     the variables that matter (GO*, CGO_*, PATH, HOME, CC, XDG dirs, proxies, ...);
//   - for go commands (which switch toolchains by GOTOOLCHAIN): the text of the go.work and
//     go.mod go would find from cwd (or GOWORK), the identity of the go env file (GOENV) and of
//     $GOROOT/go.env; for `go env -json` also the C compiler it probes (CC).
// Only runs that exited 0 on their own, untruncated, are stored; a hit returns the stored
// CommandRun verbatim, marked `cached: true` (the Snapshot stays raw observations).
// Never cached: a script (`#!`) or any file that is not a native executable (ELF, Mach-O, PE),
// and a binary whose realpath has another name (a multiplexing shim such as mise's): what those
// run is chosen at run time from files we cannot enumerate (.tool-versions, .go-version, ...).
// The extension host uses `memoryProbeCache` (module level); the headless CLI adds a disk layer.
import { createHash, randomBytes } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import type { CommandRun } from '../engine/generated/CommandRun';
import { defaultGoEnvFile, getEnv, homeOf, splitPathList } from './env';
import { envOverrides, type Exec, type RunOptions } from './exec';
import { MODULE_CHECK_ARGS } from './probes/moduleCheck';

/** Bump when the key's inputs or the stored format change: old entries are then never hit. */
export const CACHE_FORMAT = 1;

export interface ProbeCache {
  get(key: string): Promise<CommandRun | undefined>;
  set(key: string, run: CommandRun): Promise<void>;
}

/** In-memory LRU; the extension host keeps one for its lifetime (`memoryProbeCache`). */
export class MemoryProbeCache implements ProbeCache {
  private readonly map = new Map<string, CommandRun>();
  constructor(private readonly maxEntries = 256) {}

  async get(key: string): Promise<CommandRun | undefined> {
    const run = this.map.get(key);
    if (!run) return undefined;
    this.map.delete(key);
    this.map.set(key, run);
    return structuredClone(run);
  }

  async set(key: string, run: CommandRun): Promise<void> {
    this.map.delete(key);
    this.map.set(key, structuredClone(run));
    while (this.map.size > this.maxEntries) {
      const oldest = this.map.keys().next().value;
      if (oldest === undefined) break;
      this.map.delete(oldest);
    }
  }

  get size(): number {
    return this.map.size;
  }

  clear(): void {
    this.map.clear();
  }
}

/** The extension host's cache: lives as long as the extension host process. */
export const memoryProbeCache = new MemoryProbeCache();

/** Shape check of a stored run: anything else in a cache file means "no entry". */
function isStoredRun(v: unknown): v is CommandRun {
  if (typeof v !== 'object' || v === null) return false;
  const r = v as Record<string, unknown>;
  const strings = (x: unknown) => Array.isArray(x) && x.every((s) => typeof s === 'string');
  const stringMap = (x: unknown) => typeof x === 'object' && x !== null && !Array.isArray(x) && Object.values(x).every((s) => typeof s === 'string');
  return (
    strings(r.argv) &&
    (r.argv as string[]).length > 0 &&
    (r.cwd === undefined || typeof r.cwd === 'string') &&
    stringMap(r.envOverrides) &&
    typeof r.stdout === 'string' &&
    typeof r.stderr === 'string' &&
    r.exitCode === 0 &&
    r.signal === undefined &&
    r.spawnError === undefined &&
    r.timedOut === false &&
    r.truncated === false &&
    typeof r.timeoutMs === 'number' &&
    typeof r.durationMs === 'number'
  );
}

/**
 * One file per key under `<dir>/probes/`, written atomically (temp file + rename), with an
 * in-memory layer in front. An unreadable, corrupt or foreign file is a miss; write failures
 * are ignored (the cache is an optimisation, never a reason to fail).
 */
export class DiskProbeCache implements ProbeCache {
  readonly memory = new MemoryProbeCache();
  readonly dir: string;
  /** Entries kept on disk; beyond it the least recently written are removed. */
  static readonly MAX_FILES = 512;
  private pruned = false;

  constructor(root: string) {
    this.dir = path.join(root, 'probes');
  }

  private file(key: string): string | undefined {
    // Keys are sha256 hex; anything else is not ours to turn into a path.
    return /^[0-9a-f]{64}$/.test(key) ? path.join(this.dir, `${key}.json`) : undefined;
  }

  async get(key: string): Promise<CommandRun | undefined> {
    const m = await this.memory.get(key);
    if (m) return m;
    const file = this.file(key);
    if (!file) return undefined;
    try {
      const v = JSON.parse(await fs.promises.readFile(file, 'utf8')) as { format?: unknown; key?: unknown; run?: unknown };
      if (v?.format !== CACHE_FORMAT || v.key !== key || !isStoredRun(v.run)) return undefined;
      await this.memory.set(key, v.run);
      return v.run;
    } catch {
      return undefined;
    }
  }

  async set(key: string, run: CommandRun): Promise<void> {
    await this.memory.set(key, run);
    const file = this.file(key);
    if (!file) return;
    const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    try {
      await fs.promises.mkdir(this.dir, { recursive: true, mode: 0o700 });
      // go env output can hold credentials (GOPROXY URLs): owner-only, like the go env file.
      await fs.promises.writeFile(tmp, JSON.stringify({ format: CACHE_FORMAT, key, run }), { mode: 0o600 });
      await fs.promises.rename(tmp, file);
      await this.prune();
    } catch {
      await fs.promises.rm(tmp, { force: true }).catch(() => undefined);
    }
  }

  /** Keep the directory bounded (binaries change, old keys are never hit again); once per instance. */
  private async prune(): Promise<void> {
    if (this.pruned) return;
    this.pruned = true;
    const names = (await fs.promises.readdir(this.dir)).filter((n) => n.endsWith('.json'));
    if (names.length <= DiskProbeCache.MAX_FILES) return;
    const stats = await Promise.all(
      names.map(async (n) => ({ n, t: (await fs.promises.stat(path.join(this.dir, n)).catch(() => undefined))?.mtimeMs ?? 0 })),
    );
    stats.sort((a, b) => a.t - b.t);
    const drop = stats.slice(0, stats.length - DiskProbeCache.MAX_FILES / 2);
    await Promise.all(drop.map((s) => fs.promises.rm(path.join(this.dir, s.n), { force: true }).catch(() => undefined)));
  }
}

/** `$XDG_CACHE_HOME/go-setup-doctor`, else the OS's per-user cache directory. */
export function defaultCacheDir(env: NodeJS.ProcessEnv, platform: NodeJS.Platform = process.platform): string | undefined {
  const p = platform === 'win32' ? path.win32 : path.posix;
  const xdg = getEnv(env, 'XDG_CACHE_HOME', platform);
  if (xdg && p.isAbsolute(xdg)) return p.join(xdg, 'go-setup-doctor');
  if (platform === 'win32') {
    const local = getEnv(env, 'LOCALAPPDATA', platform);
    return local ? p.join(local, 'go-setup-doctor', 'Cache') : undefined;
  }
  const home = homeOf(env, platform);
  if (!home) return undefined;
  return platform === 'darwin' ? p.join(home, 'Library', 'Caches', 'go-setup-doctor') : p.join(home, '.cache', 'go-setup-doctor');
}

// ---- keys ----

/** `go` commands switch toolchains and read go.mod/go.work/GOENV; tools only their own bytes. */
export type ProbeKind = 'go' | 'tool';

const same = (a: string[], b: string[]) => a.length === b.length && a.every((x, i) => x === b[i]);

/** The commands this cache may answer; everything else always runs. */
export function cacheableArgs(kind: ProbeKind, args: string[]): boolean {
  if (kind === 'go')
    return (
      same(args, ['version']) ||
      same(args, ['env', '-json']) ||
      (args.length > 2 && args[0] === 'version' && args[1] === '-m') ||
      same(args, MODULE_CHECK_ARGS)
    );
  return same(args, ['version', '-json']) || same(args, ['version']);
}

/** Environment variables whose values can change what the cached commands print. */
const KEY_ENV = new Set([
  'PATH',
  'HOME',
  'USERPROFILE',
  'APPDATA',
  'LOCALAPPDATA',
  'XDG_CONFIG_HOME',
  'XDG_CACHE_HOME',
  'CC',
  'CXX',
  'AR',
  'FC',
  'GCCGO',
  'PKG_CONFIG',
  'HTTP_PROXY',
  'HTTPS_PROXY',
  'NO_PROXY',
  'ALL_PROXY',
  'SSL_CERT_FILE',
  'SSL_CERT_DIR',
]);

function keyEnv(env: NodeJS.ProcessEnv, platform: NodeJS.Platform): [string, string][] {
  const out: [string, string][] = [];
  for (const k of Object.keys(env)) {
    const v = env[k];
    if (v === undefined) continue;
    // Proxies are read in either case; Windows names are case-insensitive.
    const name = k.toUpperCase();
    if (name.startsWith('GO') || name.startsWith('CGO_') || KEY_ENV.has(name)) out.push([platform === 'win32' ? name : k, v]);
  }
  return out.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : 1));
}

/**
 * The file facts a key reads. One instance per gather memoizes them (six go commands share one
 * go.mod, go env file, ...); the check after a run uses a fresh one.
 */
class FsFacts {
  private readonly memo = new Map<string, Promise<unknown>>();
  private once<T>(k: string, f: () => Promise<T>): Promise<T> {
    let p = this.memo.get(k) as Promise<T> | undefined;
    if (!p) this.memo.set(k, (p = f()));
    return p;
  }
  fileId(p: string): Promise<FileId | null> {
    return this.once(`id\0${p}`, () => fileId(p));
  }
  fileText(p: string): Promise<string | null> {
    return this.once(`text\0${p}`, () => fileText(p));
  }
  realpath(p: string): Promise<string | null> {
    return this.once(`real\0${p}`, () => fs.promises.realpath(p).catch(() => null));
  }
  isNativeExecutable(p: string): Promise<boolean> {
    return this.once(`native\0${p}`, () => isNativeExecutable(p));
  }
  /** The nearest `name` in `dir` or an ancestor: its path and text. */
  nearest(dir: string, name: string): Promise<{ path: string; text: string } | null> {
    return this.once(`nearest\0${dir}\0${name}`, async () => {
      let cur = dir;
      for (;;) {
        const p = path.join(cur, name);
        const text = await this.fileText(p);
        if (text !== null) return { path: p, text };
        const up = path.dirname(cur);
        if (up === cur) return null;
        cur = up;
      }
    });
  }
}

interface FileId {
  dev: string;
  ino: string;
  size: string;
  mtimeNs: string;
  ctimeNs: string;
  mode: string;
}

async function fileId(p: string): Promise<FileId | null> {
  try {
    const st = await fs.promises.stat(p, { bigint: true });
    return { dev: String(st.dev), ino: String(st.ino), size: String(st.size), mtimeNs: String(st.mtimeNs), ctimeNs: String(st.ctimeNs), mode: String(st.mode) };
  } catch {
    return null;
  }
}

async function fileText(p: string): Promise<string | null> {
  try {
    return await fs.promises.readFile(p, 'utf8');
  } catch {
    return null;
  }
}

/** ELF, Mach-O (thin or fat), PE: a program whose behaviour is its bytes. */
async function isNativeExecutable(p: string): Promise<boolean> {
  let fh: fs.promises.FileHandle | undefined;
  try {
    fh = await fs.promises.open(p, 'r');
    const b = Buffer.alloc(4);
    const { bytesRead } = await fh.read(b, 0, 4, 0);
    if (bytesRead < 2) return false;
    if (b[0] === 0x4d && b[1] === 0x5a) return true; // MZ
    if (bytesRead < 4) return false;
    const m = b.readUInt32BE(0);
    return m === 0x7f454c46 || m === 0xfeedface || m === 0xfeedfacf || m === 0xcefaedfe || m === 0xcffaedfe || m === 0xcafebabe;
  } catch {
    return false;
  } finally {
    await fh?.close().catch(() => undefined);
  }
}

function programName(p: string, platform: NodeJS.Platform): string {
  const base = (platform === 'win32' ? path.win32 : path.posix).basename(p).replace(/\.exe$/i, '');
  return platform === 'win32' || platform === 'darwin' ? base.toLowerCase() : base;
}

/** The binary's identity, or undefined when it must not be cached (see the file comment). */
async function binaryId(p: string, env: NodeJS.ProcessEnv, platform: NodeJS.Platform, fx: FsFacts): Promise<Record<string, unknown> | undefined> {
  if (!path.isAbsolute(p)) return undefined;
  const real = await fx.realpath(p);
  if (real === null) return undefined;
  if (programName(real, platform) !== programName(p, platform)) return undefined;
  const [id, native] = await Promise.all([fx.fileId(real), fx.isNativeExecutable(real)]);
  if (!id || !native) return undefined;
  const out: Record<string, unknown> = { realPath: real, ...id };
  const name = programName(p, platform);
  if (/^go(\d+(\.\d+)*((rc|beta)\d+)?|tip)$/.test(name)) {
    // golang.org/dl wrapper: runs $HOME/sdk/<name>/bin/go, which `gotip download` replaces.
    const home = homeOf(env, platform);
    if (home) out.sdkGo = await fx.fileId(path.join(home, 'sdk', name, 'bin', platform === 'win32' ? 'go.exe' : 'go'));
  }
  if (platform === 'win32') out.shim = await fx.fileId(real.replace(/(\.exe)?$/i, '.shim'));
  return out;
}

/** What a go command reads besides its own bytes: module files, go env files, CC. */
async function goContext(opts: RunOptions, realGo: string, withCC: boolean, platform: NodeJS.Platform, fx: FsFacts): Promise<Record<string, unknown>> {
  const env = opts.env;
  const get = (n: string) => getEnv(env, n, platform);
  const cwd = opts.cwd ?? process.cwd();
  const out: Record<string, unknown> = {};
  const gowork = get('GOWORK');
  if (gowork === 'off') out.goWork = 'off';
  else if (gowork) out.goWork = { path: gowork, text: await fx.fileText(path.resolve(cwd, gowork)) };
  else out.goWork = await fx.nearest(cwd, 'go.work');
  out.goMod = await fx.nearest(cwd, 'go.mod');
  const goenv = get('GOENV') || defaultGoEnvFile(env, platform);
  out.goEnvFile = goenv && goenv !== 'off' ? { path: goenv, id: await fx.fileId(goenv) } : 'off';
  const roots = [...new Set([get('GOROOT'), path.dirname(path.dirname(realGo))].filter((r): r is string => !!r))];
  out.goRootEnv = await Promise.all(roots.map(async (r) => ({ root: r, id: await fx.fileId(path.join(r, 'go.env')) })));
  if (withCC) {
    // `go env` probes the C compiler's flags (GOGCCFLAGS).
    const cc = (get('CC') || (platform === 'darwin' || platform.endsWith('bsd') ? 'clang' : 'gcc')).trim().split(/\s+/)[0];
    let found: string | undefined;
    if (path.isAbsolute(cc)) found = cc;
    else {
      for (const d of splitPathList(get('PATH'), platform)) {
        const candidate = path.join(d, platform === 'win32' && !/\.exe$/i.test(cc) ? `${cc}.exe` : cc);
        if (await fx.fileId(candidate)) {
          found = candidate;
          break;
        }
      }
    }
    out.cc = found ? { path: found, id: await fx.fileId(found) } : cc;
  }
  return out;
}

/**
 * The cache key of one command (sha256 hex), or undefined when this command must not be cached.
 * Exported for tests.
 */
export async function probeKey(
  kind: ProbeKind,
  argv: string[],
  opts: RunOptions,
  platform: NodeJS.Platform = process.platform,
  fx: FsFacts = new FsFacts(),
): Promise<string | undefined> {
  if (argv.length === 0 || !cacheableArgs(kind, argv.slice(1))) return undefined;
  const bin = await binaryId(argv[0], opts.env, platform, fx);
  if (!bin) return undefined;
  const reads = argv[1] === 'version' && argv[2] === '-m' ? await Promise.all(argv.slice(3).map(async (f) => ({ f, id: await fx.fileId(f) }))) : undefined;
  const go = kind === 'go' ? await goContext(opts, bin.realPath as string, argv[1] === 'env', platform, fx) : undefined;
  if (go && argv[1] === 'list') {
    // The module check also reads go.sum (beside the go.mod it uses).
    const mod = go.goMod as { path: string } | null;
    go.goSum = mod ? await fx.fileId(path.join(path.dirname(mod.path), 'go.sum')) : null;
  }
  const key = {
    format: CACHE_FORMAT,
    host: `${process.platform}/${process.arch}`,
    kind,
    argv,
    cwd: opts.cwd ?? null,
    timeoutMs: Math.round(opts.timeoutMs),
    maxOutputBytes: opts.maxOutputBytes ?? null,
    envOverrides: envOverrides(opts.env, opts.baseEnv ?? process.env),
    env: keyEnv(opts.env, platform),
    bin,
    reads: reads ?? null,
    go: go ?? null,
  };
  return createHash('sha256').update(JSON.stringify(key)).digest('hex');
}

/** Ran to its own exit 0 with all its output: worth remembering. */
function storable(run: CommandRun): boolean {
  return run.exitCode === 0 && !run.timedOut && run.signal === undefined && run.spawnError === undefined && !run.truncated;
}

/** Runs in flight per cache: two identical probes at once (overlapping diagnoses) share one process. */
const inflight = new WeakMap<ProbeCache, Map<string, Promise<CommandRun>>>();

/**
 * `exec`, answering the cacheable `kind` commands from `cache` when every input is unchanged.
 * Key errors, cache read errors and write errors all fall back to running the command.
 * Make one per gather: it remembers the file facts it read for its lifetime.
 */
export function withProbeCache(exec: Exec, cache: ProbeCache, kind: ProbeKind, platform: NodeJS.Platform = process.platform): Exec {
  const facts = new FsFacts();
  return async (argv, opts) => {
    if (!cacheableArgs(kind, argv.slice(1))) return exec(argv, opts);
    const key = await probeKey(kind, argv, opts, platform, facts).catch(() => undefined);
    if (key === undefined) return exec(argv, opts);
    const hit = await cache.get(key).catch(() => undefined);
    if (hit) return { ...hit, cached: true };
    let running = inflight.get(cache);
    if (!running) inflight.set(cache, (running = new Map()));
    const pending = running.get(key);
    if (pending) return { ...(await pending), cached: true };
    const p = (async () => {
      const run = await exec(argv, opts);
      // Store only if the inputs did not change while it ran (a binary replaced mid-run).
      if (storable(run) && (await probeKey(kind, argv, opts, platform).catch(() => undefined)) === key) {
        await cache.set(key, run).catch(() => undefined);
      }
      return run;
    })();
    running.set(key, p);
    try {
      return await p;
    } finally {
      running.delete(key);
    }
  };
}
