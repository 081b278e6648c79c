// Platform facts, as raw observations: the kernel string (WSL), sandbox and container markers,
// the OS limits that bite Go tooling (inotify watches, ptrace scope, open files), the mounts that
// hold Go's directories and the workspace (noexec, network file systems), whether those
// directories can be written, and the running gopls processes.
// Linux reads /proc (root injectable for tests); macOS asks `ulimit` and `ps`; Windows leaves the
// fields absent. Never throws: what cannot be read is simply not recorded.
import * as fs from 'fs';
import * as path from 'path';
import type { DirAccess } from '../../engine/generated/DirAccess';
import type { Host } from '../../engine/generated/Host';
import type { ProcessInfo } from '../../engine/generated/ProcessInfo';
import type { Exec } from '../exec';

export interface PlatformProbeOptions {
  platform?: NodeJS.Platform;
  /** The proc file system (default `/proc`); tests pass a fake directory tree. */
  procRoot?: string;
  /** Where `/.flatpak-info`, `/.dockerenv`, `/run/.containerenv` are looked for (default `/`). */
  fsRoot?: string;
  env: NodeJS.ProcessEnv;
  exec: Exec;
  timeoutMs: number;
  /** The gathering process (default: this one). */
  pid?: number;
  /** Clock for macOS process start times (tests). */
  now?: () => number;
}

/** The Host fields this probe fills. */
export type PlatformHost = Pick<
  Host,
  | 'pid'
  | 'procVersion'
  | 'wslInterop'
  | 'flatpakInfo'
  | 'containerMarkers'
  | 'inotifyMaxUserWatches'
  | 'usernsMaxInotifyWatches'
  | 'ptraceScope'
  | 'procStatus'
  | 'procLimits'
  | 'ulimitNofile'
>;

export interface PlatformFacts {
  host: PlatformHost;
  /** Absent when the process table was not looked at (Windows, or it could not be read). */
  processes?: ProcessInfo[];
}

/** At most this many gopls processes are recorded. */
export const PROCESS_CAP = 50;
/** Files read from /proc and / are cut at this size (mountinfo: MOUNTINFO_CAP). */
const READ_CAP = 64 * 1024;
const MOUNTINFO_CAP = 1024 * 1024;
/** Linux `USER_HZ`: /proc/<pid>/stat times are in these ticks (100 on every mainstream arch). */
const CLOCK_TICKS = 100;
const GOPLS_NAME = /^gopls(\.exe)?$/i;

/** A /proc or /sys file (size 0 on stat), read until EOF up to `cap` bytes; undefined when unreadable. */
export async function readText(p: string, cap = READ_CAP): Promise<string | undefined> {
  try {
    const fh = await fs.promises.open(p, 'r');
    try {
      // /proc files report size 0: read until EOF, up to the cap.
      const buf = Buffer.allocUnsafe(cap);
      let off = 0;
      for (;;) {
        const { bytesRead } = await fh.read(buf, off, cap - off, null);
        if (bytesRead === 0) break;
        off += bytesRead;
        if (off >= cap) break;
      }
      return buf.subarray(0, off).toString('utf8');
    } finally {
      await fh.close();
    }
  } catch {
    return undefined;
  }
}

async function exists(p: string): Promise<boolean> {
  try {
    await fs.promises.lstat(p);
    return true;
  } catch {
    return false;
  }
}

/** Whether the options describe this machine (or a fake /proc the test set up). */
function observable(opts: { platform?: NodeJS.Platform; procRoot?: string }): boolean {
  return opts.procRoot !== undefined || (opts.platform ?? process.platform) === process.platform;
}

export async function probePlatform(opts: PlatformProbeOptions): Promise<PlatformFacts> {
  const platform = opts.platform ?? process.platform;
  const host: PlatformHost = {};
  if (!observable(opts)) return { host };
  host.pid = opts.pid ?? process.pid;
  if (platform === 'linux') {
    const proc = opts.procRoot ?? '/proc';
    const root = opts.fsRoot ?? '/';
    const [version, interop, flatpak, docker, podman, watches, usernsWatches, ptrace, status, limits, processes] = await Promise.all([
      readText(path.join(proc, 'version')),
      exists(path.join(proc, 'sys/fs/binfmt_misc/WSLInterop')),
      readText(path.join(root, '.flatpak-info')),
      exists(path.join(root, '.dockerenv')),
      exists(path.join(root, 'run/.containerenv')),
      readText(path.join(proc, 'sys/fs/inotify/max_user_watches')),
      readText(path.join(proc, 'sys/user/max_inotify_watches')),
      readText(path.join(proc, 'sys/kernel/yama/ptrace_scope')),
      readText(path.join(proc, 'self/status')),
      readText(path.join(proc, 'self/limits')),
      linuxGoplsProcesses(proc, host.pid),
    ]);
    if (version !== undefined) host.procVersion = version;
    host.wslInterop = interop;
    if (flatpak !== undefined) host.flatpakInfo = flatpak;
    const markers = [...(docker ? ['/.dockerenv'] : []), ...(podman ? ['/run/.containerenv'] : [])];
    if (markers.length > 0) host.containerMarkers = markers;
    if (watches !== undefined) host.inotifyMaxUserWatches = watches;
    if (usernsWatches !== undefined) host.usernsMaxInotifyWatches = usernsWatches;
    if (ptrace !== undefined) host.ptraceScope = ptrace;
    if (status !== undefined) {
      const lines = status.split('\n').filter((l) => l.startsWith('CapEff:') || l.startsWith('Seccomp:'));
      if (lines.length > 0) host.procStatus = lines.join('\n') + '\n';
    }
    if (limits !== undefined) host.procLimits = limits;
    return processes === undefined ? { host } : { host, processes };
  }
  if (platform === 'darwin') {
    const run = { env: opts.env, baseEnv: opts.env, timeoutMs: opts.timeoutMs };
    const [ulimit, processes] = await Promise.all([
      opts.exec(['/bin/sh', '-c', 'ulimit -Sn; ulimit -Hn'], run),
      darwinGoplsProcesses(opts.exec, run, host.pid, opts.now ?? Date.now),
    ]);
    host.ulimitNofile = ulimit;
    return processes === undefined ? { host } : { host, processes };
  }
  return { host };
}

/** Fields of /proc/<pid>/stat after the command name (which may hold spaces and parentheses). */
function statFields(stat: string | undefined): string[] | undefined {
  if (!stat) return undefined;
  const close = stat.lastIndexOf(')');
  if (close < 0) return undefined;
  return stat.slice(close + 2).trim().split(/\s+/);
}

async function parentOf(proc: string, pid: number): Promise<number | undefined> {
  const f = statFields(await readText(path.join(proc, String(pid), 'stat')));
  const ppid = f ? Number(f[1]) : NaN;
  return Number.isInteger(ppid) && ppid >= 0 ? ppid : undefined;
}

async function mtimeMs(p: string): Promise<number | undefined> {
  try {
    return (await fs.promises.stat(p)).mtimeMs;
  } catch {
    return undefined;
  }
}

function isGopls(exe: string | undefined, cmdline: string[]): boolean {
  // `gopls version` (run by the tools probe itself) is not a language server.
  if (cmdline[1] === 'version' || cmdline[1] === 'help') return false;
  const exePath = exe?.replace(/ \(deleted\)$/, '');
  if (exePath && GOPLS_NAME.test(path.basename(exePath))) return true;
  const argv0 = cmdline[0];
  return argv0 !== undefined && GOPLS_NAME.test(path.basename(argv0));
}

/** Every gopls in the process table of `proc`, with its ancestry, memory and times. */
export async function linuxGoplsProcesses(proc: string, self: number | undefined): Promise<ProcessInfo[] | undefined> {
  let entries: string[];
  try {
    entries = (await fs.promises.readdir(proc)).filter((e) => /^\d+$/.test(e));
  } catch {
    return undefined;
  }
  const btimeLine = (await readText(path.join(proc, 'stat')))?.split('\n').find((l) => l.startsWith('btime '));
  const btime = btimeLine ? Number(btimeLine.slice(6)) : undefined;
  // Identify gopls processes first, all processes at once (a sequential scan of a busy /proc
  // cost 10-65 ms); only those get the detailed reads below.
  const identified = await Promise.all(
    entries
      .sort((a, b) => Number(a) - Number(b))
      .filter((e) => Number(e) !== self)
      .map(async (e) => {
        const dir = path.join(proc, e);
        const [cmdlineText, exe] = await Promise.all([
          readText(path.join(dir, 'cmdline')),
          fs.promises.readlink(path.join(dir, 'exe')).catch(() => undefined), // another user's process, or a kernel thread
        ]);
        if (cmdlineText === undefined) return undefined; // exited meanwhile
        const cmdline = cmdlineText.split('\0');
        if (cmdline.length > 0 && cmdline[cmdline.length - 1] === '') cmdline.pop();
        return isGopls(exe, cmdline) ? { pid: Number(e), dir, cmdline, exe } : undefined;
      }),
  );
  const found: ProcessInfo[] = [];
  for (const hit of identified) {
    if (found.length >= PROCESS_CAP) break;
    if (hit === undefined) continue;
    const { pid, dir, cmdline, exe } = hit;
    const info: ProcessInfo = { pid, ancestors: [], cmdline };
    if (exe !== undefined) info.exe = exe;
    const [stat, status] = await Promise.all([readText(path.join(dir, 'stat')), readText(path.join(dir, 'status'))]);
    const fields = statFields(stat);
    if (fields) {
      const ppid = Number(fields[1]);
      if (Number.isInteger(ppid)) info.ppid = ppid;
      const ticks = Number(fields[19]);
      if (btime !== undefined && Number.isFinite(btime) && Number.isFinite(ticks)) {
        info.startTimeMs = (btime + ticks / CLOCK_TICKS) * 1000;
      }
    }
    const rss = status?.match(/^VmRSS:\s+(\d+)\s+kB/m);
    if (rss) info.rssKib = Number(rss[1]);
    // Parent, grandparent, ... up to pid 1 (bounded against cycles in a fake tree).
    let cur = info.ppid;
    for (let i = 0; i < 64 && cur !== undefined && cur > 0; i++) {
      info.ancestors.push(cur);
      if (cur === 1) break;
      cur = await parentOf(proc, cur);
    }
    const exePath = exe?.replace(/ \(deleted\)$/, '');
    if (exePath && path.isAbsolute(exePath)) {
      const m = await mtimeMs(exePath);
      if (m !== undefined) info.exeMtimeMs = m;
    }
    found.push(info);
  }
  return found;
}

/** `[[dd-]hh:]mm:ss` → seconds. */
export function parseEtime(s: string): number | undefined {
  const m = s.match(/^(?:(\d+)-)?(?:(\d+):)?(\d+):(\d+)$/);
  if (!m) return undefined;
  return Number(m[1] ?? 0) * 86400 + Number(m[2] ?? 0) * 3600 + Number(m[3]) * 60 + Number(m[4]);
}

async function darwinGoplsProcesses(
  exec: Exec,
  run: { env: NodeJS.ProcessEnv; baseEnv: NodeJS.ProcessEnv; timeoutMs: number },
  self: number | undefined,
  now: () => number,
): Promise<ProcessInfo[] | undefined> {
  const ps = await exec(['/bin/ps', '-axww', '-o', 'pid=,ppid=,rss=,etime=,comm='], run);
  if (ps.exitCode !== 0) return undefined;
  const at = now();
  const rows = ps.stdout
    .split('\n')
    .map((l) => l.match(/^\s*(\d+)\s+(\d+)\s+(\d+)\s+(\S+)\s+(.+?)\s*$/))
    .filter((m): m is RegExpMatchArray => m !== null)
    .map((m) => ({ pid: Number(m[1]), ppid: Number(m[2]), rss: Number(m[3]), etime: m[4], comm: m[5] }));
  const parent = new Map(rows.map((r) => [r.pid, r.ppid]));
  const found: ProcessInfo[] = [];
  for (const r of rows) {
    if (found.length >= PROCESS_CAP) break;
    if (r.pid === self || !GOPLS_NAME.test(path.basename(r.comm))) continue;
    const info: ProcessInfo = { pid: r.pid, ppid: r.ppid, ancestors: [], exe: r.comm, cmdline: [r.comm], rssKib: r.rss };
    let cur: number | undefined = r.ppid;
    for (let i = 0; i < 64 && cur !== undefined && cur > 0; i++) {
      info.ancestors.push(cur);
      cur = parent.get(cur);
    }
    const secs = parseEtime(r.etime);
    if (secs !== undefined) info.startTimeMs = at - secs * 1000;
    const m = path.isAbsolute(r.comm) ? await mtimeMs(r.comm) : undefined;
    if (m !== undefined) info.exeMtimeMs = m;
    found.push(info);
  }
  return found;
}

/** Undo the kernel's octal escapes in mountinfo paths (`\040` is a space). */
export function unescapeMountPath(s: string): string {
  return s.replace(/\\([0-7]{3})/g, (_, oct: string) => String.fromCharCode(parseInt(oct, 8)));
}

function isUnder(p: string, mountPoint: string): boolean {
  if (mountPoint === '/') return p.startsWith('/');
  return p === mountPoint || p.startsWith(mountPoint + '/');
}

/** The mountinfo lines whose mount point is a prefix of one of `paths`, in file order. */
export function mountLinesFor(mountinfo: string, paths: string[]): string[] {
  const out: string[] = [];
  for (const line of mountinfo.split('\n')) {
    const mp = line.split(' ')[4];
    if (mp === undefined) continue;
    const point = unescapeMountPath(mp);
    if (paths.some((p) => isUnder(p, point))) out.push(line);
  }
  return out;
}

/** `access(W_OK)` on `p`, or on its nearest existing ancestor when `p` does not exist. */
export async function dirAccess(variable: string, p: string): Promise<DirAccess> {
  let checked = p;
  let pathExists = true;
  for (;;) {
    try {
      await fs.promises.stat(checked);
      break;
    } catch {
      pathExists = false;
      const up = path.dirname(checked);
      if (up === checked) break;
      checked = up;
    }
  }
  const out: DirAccess = { var: variable, path: p, exists: pathExists, checked, writable: true };
  try {
    await fs.promises.access(checked, fs.constants.W_OK);
  } catch (e) {
    out.writable = false;
    out.error = (e as Error).message;
  }
  return out;
}

export interface DirFacts {
  mountinfo?: string[];
  dirAccess?: DirAccess[];
}

/**
 * The directories Go writes to (GOCACHE, GOMODCACHE, GOTMPDIR from `go env`, TMPDIR or /tmp) and
 * the workspace folders: their mountinfo lines (Linux) and whether they can be written (Unix).
 */
export async function probeDirs(opts: {
  platform?: NodeJS.Platform;
  procRoot?: string;
  env: NodeJS.ProcessEnv;
  goEnv?: Record<string, string>;
  folders: string[];
}): Promise<DirFacts> {
  const platform = opts.platform ?? process.platform;
  if (platform === 'win32' || !observable(opts)) return {};
  const dirs: { var: string; path: string }[] = [];
  for (const v of ['GOCACHE', 'GOMODCACHE', 'GOTMPDIR']) {
    // `go env` fails when GOCACHE cannot be created: then the environment's value is what go uses.
    const p = opts.goEnv?.[v] || opts.env[v];
    if (p && path.isAbsolute(p)) dirs.push({ var: v, path: p });
  }
  const tmp = opts.env.TMPDIR && path.isAbsolute(opts.env.TMPDIR) ? opts.env.TMPDIR : '/tmp';
  dirs.push({ var: 'TMPDIR', path: tmp });
  const out: DirFacts = { dirAccess: await Promise.all(dirs.map((d) => dirAccess(d.var, d.path))) };
  if (platform === 'linux') {
    const text = await readText(path.join(opts.procRoot ?? '/proc', 'self/mountinfo'), MOUNTINFO_CAP);
    if (text !== undefined) out.mountinfo = mountLinesFor(text, [...dirs.map((d) => d.path), ...opts.folders]);
  }
  return out;
}
