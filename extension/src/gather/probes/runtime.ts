// Why a language server or debugger cannot run, as raw observations:
// - Linux: the gathering process's cgroup (`/proc/self/cgroup`) and that cgroup's memory files
//   (limit, OOM-kill count, peak), the kernel's OOM-killer lines from `dmesg` (a refusal is kept
//   as it came), and `/proc/uptime` to date them;
// - VS Code: the end of the gopls output channels VS Code writes to disk for this window
//   (`<exthost log dir>/output_logging_<stamp>/<n>-gopls (server).log`; the exthost log dir is the
//   parent of `context.logUri`: `window1/exthost` on desktop, `exthost1` in code-server, where a
//   channel named "gopls (server)" was seen at `logs/<session>/exthost1/output_logging_<stamp>/1-gopls (server).log`);
// - macOS only: `xcode-select -p`, `DevToolsSecurity -status` and whether delve's debugserver is
//   where delve looks for it.
// Never throws: what cannot be read is simply not recorded.
import * as fs from 'fs';
import * as path from 'path';
import type { FileText } from '../../engine/generated/FileText';
import type { Host } from '../../engine/generated/Host';
import type { LogTail } from '../../engine/generated/LogTail';
import type { PathExists } from '../../engine/generated/PathExists';
import type { Exec } from '../exec';
import { readText } from './platform';

export interface RuntimeProbeOptions {
  platform?: NodeJS.Platform;
  /** The proc file system (default `/proc`); tests pass a fake tree. */
  procRoot?: string;
  /** Where cgroup file systems are mounted (default `/sys/fs/cgroup`); tests pass a fake tree. */
  cgroupRoot?: string;
  /** Where `/Library/Developer/...` and the Xcode paths are looked for (default `/`; tests). */
  fsRoot?: string;
  /** The extension host's log directory (`dirname(context.logUri)`), inside VS Code only. */
  exthostLogDir?: string;
  env: NodeJS.ProcessEnv;
  exec: Exec;
  timeoutMs: number;
  /** Run the branch of `platform` even on another OS (unit tests with a fake exec). */
  foreign?: boolean;
}

export type RuntimeHost = Pick<
  Host,
  'cgroup' | 'cgroupMemory' | 'kernelLog' | 'uptime' | 'xcodeSelect' | 'devToolsSecurity' | 'debugservers'
>;

export interface RuntimeFacts {
  host: RuntimeHost;
  languageServerLogs?: LogTail[];
}

/** Log tails are cut to this many bytes (at a line boundary). */
export const LOG_TAIL_BYTES = 64 * 1024;
/** At most this many gopls log files (newest first). */
export const LOG_FILES_CAP = 4;
/** Kernel log lines kept (the last ones). */
export const KERNEL_LINES_CAP = 200;
/** `dmesg` output read before narrowing it to the OOM lines (the largest kernel log buffer is 32 MiB). */
const DMESG_MAX_BYTES = 32 * 1024 * 1024;
const GOPLS_LOG = /^\d+-gopls( \(server\))?\.log$/;
const KERNEL_OOM = /oom-kill:|Killed process|memory: usage|Out of memory/;
/** delve `pkg/proc/gdbserial/gdbserver.go` `debugserverExecutablePaths`. */
export const CLT_DEBUGSERVER = '/Library/Developer/CommandLineTools/Library/PrivateFrameworks/LLDB.framework/Versions/A/Resources/debugserver';
const XCODE_DEBUGSERVER = 'SharedFrameworks/LLDB.framework/Versions/A/Resources/debugserver';
const V2_FILES = ['memory.max', 'memory.events', 'memory.peak'];
const V1_FILES = ['memory.limit_in_bytes', 'memory.oom_control', 'memory.max_usage_in_bytes'];

async function exists(p: string): Promise<boolean> {
  try {
    await fs.promises.stat(p);
    return true;
  } catch {
    return false;
  }
}

/** The memory cgroup of a `/proc/<pid>/cgroup` text: v1 `memory` hierarchy first, else v2. */
export function memoryCgroup(text: string): { path: string; v1: boolean } | undefined {
  let v2: string | undefined;
  for (const line of text.split('\n')) {
    const m = line.match(/^(\d+):([^:]*):(.*)$/);
    if (!m) continue;
    if (m[2].split(',').includes('memory')) return { path: m[3], v1: true };
    if (m[1] === '0' && m[2] === '') v2 = m[3];
  }
  return v2 === undefined ? undefined : { path: v2, v1: false };
}

/** The memory files of the cgroup at `cg` that exist under `root`. */
export async function cgroupMemoryFiles(root: string, cg: { path: string; v1: boolean }): Promise<FileText[]> {
  const dirs = cg.v1 ? [path.join(root, 'memory', cg.path)] : [path.join(root, cg.path), path.join(root, 'unified', cg.path)];
  const names = cg.v1 ? V1_FILES : V2_FILES;
  for (const dir of dirs) {
    const texts = await Promise.all(names.map((n) => readText(path.join(dir, n))));
    const found = names.flatMap((n, i) => (texts[i] === undefined ? [] : [{ path: path.join(dir, n), text: texts[i] as string }]));
    if (found.length > 0) return found;
  }
  return [];
}

/** `oom_kill N` of the cgroup's memory.events (v2) or memory.oom_control (v1); undefined when unread. */
export function oomKillCount(files: FileText[]): number | undefined {
  for (const f of files) {
    if (!/memory\.(events|oom_control)$/.test(f.path)) continue;
    const m = /^oom_kill (\d+)$/m.exec(f.text);
    if (m) return Number(m[1]);
  }
  return undefined;
}

/** The OOM killer's lines of a kernel log, the last `KERNEL_LINES_CAP`. */
export function oomLines(text: string): string {
  const lines = text.split('\n').filter((l) => KERNEL_OOM.test(l));
  return lines.slice(-KERNEL_LINES_CAP).map((l) => l + '\n').join('');
}

/** The last `max` bytes of a file, from the first line boundary inside them. */
export async function tail(p: string, max = LOG_TAIL_BYTES): Promise<LogTail | undefined> {
  try {
    const st = await fs.promises.stat(p);
    const start = Math.max(0, st.size - max);
    const fh = await fs.promises.open(p, 'r');
    try {
      const buf = Buffer.alloc(st.size - start);
      const { bytesRead } = await fh.read(buf, 0, buf.length, start);
      let text = buf.subarray(0, bytesRead).toString('utf8');
      if (start > 0) {
        const nl = text.indexOf('\n');
        text = nl >= 0 ? text.slice(nl + 1) : '';
      }
      return { path: p, text, size: st.size, mtimeMs: st.mtimeMs };
    } finally {
      await fh.close();
    }
  } catch {
    return undefined;
  }
}

/** The gopls output channel files of this window, newest output_logging dir first. */
export async function goplsLogs(exthostLogDir: string): Promise<LogTail[]> {
  let dirs: string[];
  try {
    dirs = (await fs.promises.readdir(exthostLogDir)).filter((d) => d.startsWith('output_logging_')).sort().reverse();
  } catch {
    return [];
  }
  const out: LogTail[] = [];
  for (const d of dirs) {
    let files: string[];
    try {
      files = (await fs.promises.readdir(path.join(exthostLogDir, d))).filter((f) => GOPLS_LOG.test(f)).sort();
    } catch {
      continue;
    }
    for (const f of files) {
      if (out.length >= LOG_FILES_CAP) return out;
      const t = await tail(path.join(exthostLogDir, d, f));
      if (t) out.push(t);
    }
  }
  return out;
}

export async function probeRuntime(opts: RuntimeProbeOptions): Promise<RuntimeFacts> {
  const platform = opts.platform ?? process.platform;
  const here = opts.foreign === true || platform === process.platform;
  const host: RuntimeHost = {};
  const logsP = opts.exthostLogDir ? goplsLogs(opts.exthostLogDir) : Promise.resolve(undefined);
  const run = { env: opts.env, baseEnv: opts.env, timeoutMs: opts.timeoutMs };
  if (platform === 'linux' && (here || opts.procRoot !== undefined)) {
    const proc = opts.procRoot ?? '/proc';
    const [cgroup, uptime] = await Promise.all([readText(path.join(proc, 'self/cgroup')), readText(path.join(proc, 'uptime'))]);
    let memoryFiles: FileText[] = [];
    if (cgroup !== undefined) {
      host.cgroup = cgroup;
      const cg = memoryCgroup(cgroup);
      if (cg) memoryFiles = await cgroupMemoryFiles(opts.cgroupRoot ?? '/sys/fs/cgroup', cg);
      if (memoryFiles.length > 0) host.cgroupMemory = memoryFiles;
    }
    if (uptime !== undefined) host.uptime = uptime;
    // The kernel log is read only when it can hold an answer: when this cgroup counts an OOM kill
    // (`oom_kill` in memory.events / memory.oom_control counts kills by any OOM killer, of
    // processes in the cgroup and below), or when that counter cannot be read. A machine where
    // nothing was OOM-killed runs no `dmesg` (it is the one probe whose answer cannot be cached).
    const kills = oomKillCount(memoryFiles);
    if (kills === undefined || kills > 0) {
      // The whole ring buffer (it can be several MiB; the newest lines are at the end).
      const dmesg = await opts.exec(['dmesg'], { ...run, maxOutputBytes: DMESG_MAX_BYTES });
      host.kernelLog = dmesg.exitCode === 0 ? { ...dmesg, stdout: oomLines(dmesg.stdout) } : dmesg;
    }
  } else if (platform === 'darwin' && here) {
    const [xcode, devTools] = await Promise.all([
      opts.exec(['/usr/bin/xcode-select', '-p'], run),
      opts.exec(['/usr/sbin/DevToolsSecurity', '-status'], run),
    ]);
    host.xcodeSelect = xcode;
    host.devToolsSecurity = devTools;
    const root = opts.fsRoot ?? '/';
    const candidates = [CLT_DEBUGSERVER];
    const dev = xcode.exitCode === 0 ? xcode.stdout.trim() : '';
    if (dev.startsWith('/')) candidates.push(path.join(dev, '..', XCODE_DEBUGSERVER));
    host.debugservers = await Promise.all(
      [...new Set(candidates)].map(async (p): Promise<PathExists> => ({ path: p, exists: await exists(path.join(root, p)) })),
    );
  }
  const logs = await logsP;
  return logs === undefined ? { host } : { host, languageServerLogs: logs };
}
