// Runs one external command and records exactly what happened, as a CommandRun.
// No shell; the child leads its own process group so a timeout kills it and everything it
// started. Never throws: every failure is data.
import { spawn, type ChildProcess } from 'child_process';
import * as fs from 'fs';
import type { CommandRun } from '../engine/generated/CommandRun';

export type { CommandRun };

export interface RunOptions {
  cwd?: string;
  /** The complete environment of the child. */
  env: NodeJS.ProcessEnv;
  /** The environment the host runs with; `envOverrides` lists what `env` sets or changes. */
  baseEnv?: NodeJS.ProcessEnv;
  timeoutMs: number;
  /** Capture limit per stream, in bytes (default 1 MiB). */
  maxOutputBytes?: number;
}

/** How a test or the gatherer runs commands; inject a fake to test without processes. */
export type Exec = typeof runCommand;

export const DEFAULT_MAX_OUTPUT_BYTES = 1024 * 1024;
/** After killing a timed-out group, how long to wait for its pipes to close before giving up on them. */
const DRAIN_AFTER_KILL_MS = 1000;

/** Variables in `env` that are absent from or different in `base`. */
export function envOverrides(env: NodeJS.ProcessEnv, base: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of Object.keys(env).sort()) {
    const v = env[key];
    if (v !== undefined && base[key] !== v) out[key] = v;
  }
  return out;
}

class Capture {
  private chunks: Buffer[] = [];
  private size = 0;
  truncated = false;
  constructor(private readonly cap: number) {}
  push(chunk: Buffer): void {
    if (this.size >= this.cap) {
      this.truncated = true;
      return;
    }
    const room = this.cap - this.size;
    if (chunk.length > room) {
      this.chunks.push(chunk.subarray(0, room));
      this.size += room;
      this.truncated = true;
    } else {
      this.chunks.push(chunk);
      this.size += chunk.length;
    }
  }
  text(): string {
    return Buffer.concat(this.chunks).toString('utf8');
  }
}

function killGroup(child: ChildProcess): void {
  const pid = child.pid;
  if (pid === undefined) return;
  if (process.platform === 'win32') {
    // No process groups: taskkill /T ends the tree.
    try {
      const k = spawn('taskkill', ['/pid', String(pid), '/T', '/F'], { stdio: 'ignore', windowsHide: true });
      k.on('error', () => child.kill('SIGKILL'));
    } catch {
      child.kill('SIGKILL');
    }
    return;
  }
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // The group is already gone; make sure the leader is.
    try {
      child.kill('SIGKILL');
    } catch {
      /* already exited */
    }
  }
}

function describeSpawnError(err: NodeJS.ErrnoException, cwd: string | undefined): string {
  const code = err.code ?? 'ERROR';
  // spawn reports a missing working directory as ENOENT of the program: say which one it was.
  if (code === 'ENOENT' && cwd !== undefined && !fs.existsSync(cwd)) {
    return `ENOENT: working directory does not exist: ${cwd}`;
  }
  return `${code}: ${err.message}`;
}

/** Run `argv` (no shell) and record what happened. Never throws. */
export function runCommand(argv: string[], opts: RunOptions): Promise<CommandRun> {
  const started = performance.now();
  const cap = opts.maxOutputBytes ?? DEFAULT_MAX_OUTPUT_BYTES;
  const base: CommandRun = {
    argv: [...argv],
    envOverrides: envOverrides(opts.env, opts.baseEnv ?? process.env),
    stdout: '',
    stderr: '',
    timedOut: false,
    timeoutMs: Math.round(opts.timeoutMs),
    truncated: false,
    durationMs: 0,
  };
  if (opts.cwd !== undefined) base.cwd = opts.cwd;
  const elapsed = () => Math.round((performance.now() - started) * 10) / 10;

  return new Promise<CommandRun>((resolve) => {
    if (argv.length === 0 || !argv[0]) {
      resolve({ ...base, spawnError: 'EINVAL: empty command line', durationMs: elapsed() });
      return;
    }
    let child: ChildProcess;
    try {
      child = spawn(argv[0], argv.slice(1), {
        cwd: opts.cwd,
        env: opts.env,
        detached: true,
        stdio: ['ignore', 'pipe', 'pipe'],
        windowsHide: true,
      });
    } catch (e) {
      const err = e as NodeJS.ErrnoException;
      resolve({ ...base, spawnError: describeSpawnError(err, opts.cwd), durationMs: elapsed() });
      return;
    }

    const out = new Capture(cap);
    const errOut = new Capture(cap);
    child.stdout?.on('data', (c: Buffer) => out.push(c));
    child.stderr?.on('data', (c: Buffer) => errOut.push(c));

    let done = false;
    let exited = false;
    let timedOut = false;
    let exitCode: number | null = null;
    let signal: NodeJS.Signals | null = null;
    let spawnError: string | undefined;
    let drainTimer: NodeJS.Timeout | undefined;

    const finish = () => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      if (drainTimer) clearTimeout(drainTimer);
      child.stdout?.destroy();
      child.stderr?.destroy();
      const run: CommandRun = {
        ...base,
        stdout: out.text(),
        stderr: errOut.text(),
        timedOut,
        truncated: out.truncated || errOut.truncated,
        durationMs: elapsed(),
      };
      if (spawnError !== undefined) run.spawnError = spawnError;
      else if (!timedOut && exitCode !== null) run.exitCode = exitCode;
      if (signal !== null) run.signal = signal;
      resolve(run);
    };

    const timer = setTimeout(() => {
      // The leader may have exited while a grandchild still holds its pipes: kill the whole
      // group either way, but only call it a timeout if the command itself had not finished.
      if (!exited) timedOut = true;
      killGroup(child);
      drainTimer = setTimeout(finish, DRAIN_AFTER_KILL_MS);
    }, Math.max(0, opts.timeoutMs));

    child.on('error', (err: NodeJS.ErrnoException) => {
      // Only a failure to start is a spawn error (a failed kill also lands here: ignore it).
      if (child.pid !== undefined) return;
      spawnError = describeSpawnError(err, opts.cwd);
      // A spawn failure emits no 'exit'; 'close' may follow. Finish now.
      finish();
    });
    child.on('exit', (code, sig) => {
      exited = true;
      exitCode = code;
      signal = sig;
    });
    child.on('close', () => finish());
  });
}
