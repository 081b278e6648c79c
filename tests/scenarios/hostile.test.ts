// Hostile input: whatever the machine throws at the doctor, it must not crash, not hang past its
// timeouts, leave nothing running, change no byte of the user's files, and say what happened (a
// finding, or a skipped check with the reason). Real processes and files: the headless CLI runs in
// a child process, as a user runs it; where permissions must bite and we are root, the child runs
// without CAP_DAC_OVERRIDE / CAP_DAC_READ_SEARCH (root ignores file modes otherwise).
// A `go` that hangs or crashes with SIGSEGV is covered by probes.test.ts.
import { strict as assert } from 'node:assert';
import { spawn, spawnSync } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, test, type TestContext } from 'node:test';
import type { Check } from '../../extension/src/engine/generated/Check';
import type { Report } from '../../extension/src/engine/generated/Report';
import type { Snapshot } from '../../extension/src/engine/generated/Snapshot';
import { DEFAULT_MAX_OUTPUT_BYTES } from '../../extension/src/gather/exec';
import { WALK_ENTRY_CAP } from '../../extension/src/gather/probes/workspace';
import { buildMarkdownReport } from '../../extension/src/present/markdown';
import { hasProcfs, waitForNoProcesses } from '../helpers/proc';
import { explain, findingsOf, Scenario, scenarioFactory } from '../helpers/scenario';
import * as tc from '../helpers/toolchains';

const CLI = path.join(tc.ROOT, 'extension', 'src', 'headless', 'cli.ts');
/** Every CLI run must end within this, whatever the input (probe timeouts are 1.5 s). */
const RUN_LIMIT_MS = 60_000;
const PROBE_TIMEOUT_MS = 1500;

/** How to run a child for whom file modes count, or why that is impossible here. */
function unprivilegedPrefix(): { prefix: string[] } | { skip: string } {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return { prefix: [] };
  const setpriv = ['/usr/bin/setpriv', '/bin/setpriv', '/usr/sbin/setpriv'].find((p) => fs.existsSync(p));
  if (!setpriv) return { skip: 'root, and setpriv (util-linux) is not installed to drop CAP_DAC_OVERRIDE' };
  const prefix = [setpriv, '--bounding-set=-dac_override,-dac_read_search', '--'];
  const probe = fs.mkdtempSync(path.join(os.tmpdir(), 'gsd-perm-'));
  try {
    const f = path.join(probe, 'f');
    fs.writeFileSync(f, 'x');
    fs.chmodSync(f, 0o000);
    const r = spawnSync(prefix[0], [...prefix.slice(1), 'cat', f], { encoding: 'utf8' });
    if (r.error) return { skip: `root, and setpriv is not available to drop CAP_DAC_OVERRIDE: ${r.error.message}` };
    if (r.status === 0) return { skip: 'root, and dropping CAP_DAC_OVERRIDE with setpriv does not make mode 000 files unreadable' };
    return { prefix };
  } finally {
    fs.rmSync(probe, { recursive: true, force: true });
  }
}
const unpriv = unprivilegedPrefix();
const permSkip = 'skip' in unpriv ? unpriv.skip : false;

const skip = tc.skipScenarios || (!hasProcfs && 'needs /proc to check the process table and memory');
// Unreadable directories cannot be removed by an unprivileged user: give them back first.
const made = scenarioFactory((s) => spawnSync('chmod', ['-R', 'u+rwx', s.root]));
const scenario = (label: string): Scenario => made(`hostile-${label}`);

/** A PATH directory with just the utilities the fake tools use (no go, no gopls from the machine). */
function sysbin(s: Scenario): string {
  for (const tool of ['sh', 'cat', 'head', 'tr', 'yes', 'sleep', 'kill']) {
    const found = ['/usr/bin', '/bin'].map((d) => path.join(d, tool)).find((p) => fs.existsSync(p));
    if (found && !fs.existsSync(s.path('sysbin', tool))) s.link(path.join('sysbin', tool), found);
  }
  return s.path('sysbin');
}

const goBin = () => path.dirname(tc.go('1.22').bin);

/**
 * Not the user's files: our own output (`out/`: snapshots, the probe cache), and the telemetry
 * counters `go` itself writes under $HOME on every run (Go 1.23+, not the doctor's doing).
 */
const NOT_USER_FILES = new Set(['out', path.join('home', '.config', 'go', 'telemetry')]);

/** Every file, directory and symlink below `root` (not followed) with its mode and content hash. */
function fingerprint(root: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (rel: string) => {
    const abs = path.join(root, rel);
    const st = fs.lstatSync(abs);
    const mode = (st.mode & 0o7777).toString(8);
    if (st.isSymbolicLink()) out.set(rel, `link ${fs.readlinkSync(abs)}`);
    else if (st.isFile()) out.set(rel, `file ${mode} ${crypto.createHash('sha256').update(fs.readFileSync(abs)).digest('hex')}`);
    else if (st.isDirectory()) {
      out.set(rel, `dir ${mode}`);
      for (const name of fs.readdirSync(abs).sort()) {
        const child = rel === '' ? name : path.join(rel, name);
        if (!NOT_USER_FILES.has(child)) walk(child);
      }
    }
  };
  walk('');
  return out;
}

function assertUnchanged(before: Map<string, string>, after: Map<string, string>): void {
  const changed: string[] = [];
  for (const [k, v] of before) if (after.get(k) !== v) changed.push(`${k}: ${v} -> ${after.get(k) ?? 'gone'}`);
  // Directories created only to hold what is not the user's (~/.config/go for telemetry) do not count.
  const parentOfIgnored = (k: string) => [...NOT_USER_FILES].some((p) => p.startsWith(k + path.sep));
  for (const [k, v] of after) if (!before.has(k) && !(v.startsWith('dir ') && parentOfIgnored(k))) changed.push(`${k}: new`);
  assert.deepEqual(changed, [], 'the user’s files changed');
}

interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
  /** Peak resident memory of the CLI process (VmHWM), in KiB. */
  peakKb: number;
  report: Report;
  snapshot: Snapshot;
}

let runs = 0;
/** Run the headless CLI (`--json --snapshot-out`) on `target`, as the user would. */
interface RunOpts {
  unprivileged?: boolean;
  extra?: string[];
  /** Probe timeout (default PROBE_TIMEOUT_MS). */
  timeoutMs?: number;
}

async function runCli(s: Scenario, target: string, env: NodeJS.ProcessEnv, opts: RunOpts = {}): Promise<CliRun> {
  const snapFile = s.path('out', `snapshot-${++runs}.json`);
  fs.mkdirSync(path.dirname(snapFile), { recursive: true });
  const argv = [process.execPath, '--import', 'tsx', CLI, target, '--json', '--timeout', String(opts.timeoutMs ?? PROBE_TIMEOUT_MS), '--snapshot-out', snapFile];
  argv.push('--cache-dir', s.path('out', 'cache'), ...(opts.extra ?? []));
  const full = opts.unprivileged && 'prefix' in unpriv ? [...unpriv.prefix, ...argv] : argv;
  const started = performance.now();
  const child = spawn(full[0], full.slice(1), { cwd: tc.ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
  child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
  let peakKb = 0;
  const poll = setInterval(() => {
    try {
      const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${child.pid}/status`, 'utf8'));
      if (m) peakKb = Math.max(peakKb, Number(m[1]));
    } catch {
      /* exited */
    }
  }, 25);
  const limit = setTimeout(() => child.kill('SIGKILL'), RUN_LIMIT_MS);
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) => child.on('close', (c, sig) => resolve([c, sig])));
  clearInterval(poll);
  clearTimeout(limit);
  const ms = performance.now() - started;
  assert.ok(ms < RUN_LIMIT_MS, `the CLI did not finish within ${RUN_LIMIT_MS} ms and was killed\n${stderr}`);
  assert.equal(signal, null, `the CLI was killed by ${signal}\n${stderr}`);
  // 0: no errors, 1: errors found. 2 and 3 mean the doctor itself failed.
  assert.ok(code === 0 || code === 1, `exit status ${code}\n${stderr.slice(0, 4000)}`);
  let report: Report;
  try {
    report = JSON.parse(stdout) as Report;
  } catch (e) {
    assert.fail(`stdout is not a Report: ${(e as Error).message}\n${stdout.slice(0, 2000)}`);
  }
  const snapshot = JSON.parse(fs.readFileSync(snapFile, 'utf8')) as Snapshot;
  return { code, signal, stdout, stderr, ms, peakKb, report, snapshot };
}

/** Run, and check what holds for every hostile input: nothing left running, no file changed. */
async function diagnoseHostile(t: TestContext, s: Scenario, target: string, env: NodeJS.ProcessEnv, opts: RunOpts = {}): Promise<CliRun> {
  const before = fingerprint(s.root);
  const r = await runCli(s, target, env, opts);
  const left = await waitForNoProcesses(s.root);
  assert.deepEqual(left, [], `left running: ${JSON.stringify(left)}`);
  assertUnchanged(before, fingerprint(s.root));
  // Whatever was quoted, findings stay small and printable (no terminal escape sequences).
  for (const f of r.report.findings) {
    for (const text of [f.title, f.message, ...f.evidence]) {
      assert.ok(text.length <= 4100, `${f.code}: ${text.length} characters`);
      assert.doesNotMatch(text, /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/, `${f.code}: control characters in ${JSON.stringify(text.slice(0, 200))}`);
    }
  }
  // "Copy Go setup report" works on it too, in bounded time (it runs in the extension host).
  const mdStarted = performance.now();
  const md = buildMarkdownReport({ report: r.report, snapshot: r.snapshot });
  const mdMs = performance.now() - mdStarted;
  assert.ok(md.startsWith('# Go setup report'));
  assert.ok(mdMs < 20_000, `the Markdown report took ${Math.round(mdMs)} ms`);
  t.diagnostic(`${Math.round(r.ms)} ms, peak RSS ${Math.round(r.peakKb / 1024)} MiB, exit ${r.code}; Markdown ${Math.round(mdMs)} ms`);
  const short = (x: string) => (x.length > 300 ? `${x.slice(0, 300)}…` : x);
  for (const f of r.report.findings) t.diagnostic(`${f.code} [${f.severity}] ${f.title} — ${short(f.message)}`);
  for (const c of r.report.checks.filter((c) => c.status === 'skipped')) t.diagnostic(`${c.code} skipped: ${c.reason}`);
  return r;
}

function check(report: Report, code: string): Check {
  const c = report.checks.find((x) => x.code === code);
  assert.ok(c, `no check ${code}`);
  return c;
}

describe('hostile input', { skip, concurrency: false }, () => {
  test('a `go` that prints garbage: binary bytes, NULs, escape sequences, invalid UTF-8', async (t) => {
    const s = scenario('garbage');
    const garbage = Buffer.alloc(64 * 1024);
    for (let i = 0; i < garbage.length; i++) garbage[i] = (i * 7919 + (i >> 5) * 131) & 0xff;
    garbage.write('\x1b[2J\x1b]0;pwned\x07 go version go1.99 \u0000 {"GOROOT": ', 1000, 'latin1');
    fs.writeFileSync(s.path('garbage.bin'), garbage);
    const goScript = s.script('fakego/bin/go', `cat "${s.path('garbage.bin')}"\nexit 0`);
    const mod = s.module('src/app');
    const r = await diagnoseHostile(t, s, mod, s.env([s.path('fakego/bin'), sysbin(s)]));
    assert.equal(r.snapshot.goCandidates[r.snapshot.go?.candidate ?? -1]?.path, goScript);
    assert.equal(r.snapshot.go?.env?.exitCode, 0);
    const [f] = findingsOf(r.report, 'GSD105');
    assert.ok(f, explain(r.report));
    assert.equal(f.title, 'The go command prints something unexpected');
    assert.equal(f.severity, 'error');
    assert.ok(f.message.includes('exited 0, but what it printed is not the JSON object `go env -json` prints'), f.message);
  });

  test('a `go` that prints 100 MB on stdout and on stderr: captured up to the cap, memory bounded', async (t) => {
    const s = scenario('flood');
    s.script('fakego/bin/go', 'head -c 104857600 /dev/zero | tr "\\0" x\nhead -c 104857600 /dev/zero | tr "\\0" y >&2\nexit 0');
    const mod = s.module('src/app');
    // Time enough to pour 200 MB through the pipes even on a busy machine: this is about size.
    const r = await diagnoseHostile(t, s, mod, s.env([s.path('fakego/bin'), sysbin(s)]), { timeoutMs: 30_000 });
    const env = r.snapshot.go?.env;
    assert.ok(env, explain(r.report));
    assert.equal(env.truncated, true);
    assert.equal(env.timedOut, false);
    assert.equal(Buffer.byteLength(env.stdout), DEFAULT_MAX_OUTPUT_BYTES);
    assert.equal(Buffer.byteLength(env.stderr), DEFAULT_MAX_OUTPUT_BYTES);
    // 400 MB went through the pipes (two runs, two streams); the process never held them.
    assert.ok(r.peakKb < 400 * 1024, `peak RSS ${r.peakKb} KiB`);
    const [f] = findingsOf(r.report, 'GSD105');
    assert.ok(f, explain(r.report));
    assert.equal(f.title, 'The go command prints warnings');
    // The 1 MiB of stderr is quoted, cut short.
    assert.match(f.message, /… \(\d+ more characters\)$/);
  });

  test('a `go` that prints forever: stopped at the timeout with its output capped, nothing left running', async (t) => {
    const s = scenario('endless');
    const marker = `gsd-endless-${process.pid}-${Date.now()}`;
    const goScript = s.script('fakego/bin/go', `exec yes ${marker}`);
    const mod = s.module('src/app');
    const r = await diagnoseHostile(t, s, mod, s.env([s.path('fakego/bin'), sysbin(s)]));
    const env = r.snapshot.go?.env;
    assert.ok(env);
    assert.equal(env.timedOut, true);
    assert.equal(env.truncated, true);
    assert.ok(env.durationMs < PROBE_TIMEOUT_MS + 3000, `took ${env.durationMs} ms`);
    assert.deepEqual(await waitForNoProcesses(marker), []);
    const f = findingsOf(r.report, 'GSD901').find((x) => x.title.includes(`${goScript} env -json`));
    assert.ok(f, explain(r.report));
    assert.ok(f.title.includes(`did not finish within ${PROBE_TIMEOUT_MS} ms`), f.title);
  });

  test('a gopls on PATH that is not executable (mode 0644)', async (t) => {
    const s = scenario('gopls-0644');
    const gopls = s.write('tools/gopls', '#!/bin/sh\necho "gopls v0.0.0"\n', 0o644);
    const mod = s.module('src/app', '1.22');
    const r = await diagnoseHostile(t, s, mod, s.env([goBin(), s.path('tools')]));
    const tool = r.snapshot.tools.find((x) => x.name === 'gopls');
    assert.equal(tool?.path, undefined);
    assert.ok(tool?.searched.includes(gopls));
    assert.deepEqual(tool?.unusable, { [gopls]: 'a file without execute permission (mode 0644)' });
    const [f] = findingsOf(r.report, 'GSD201');
    assert.ok(f, explain(r.report));
    assert.ok(f.message.includes(`${gopls} is a file without execute permission (mode 0644): the Go extension skips it.`), f.message);
    assert.ok(f.evidence.includes(`cannot run: ${gopls} (a file without execute permission (mode 0644))`), f.evidence.join('\n'));
  });

  test('a directory named gopls on PATH', async (t) => {
    const s = scenario('gopls-dir');
    const dir = s.folder('tools/gopls', { 'README': 'not a binary\n' });
    const mod = s.module('src/app', '1.22');
    const r = await diagnoseHostile(t, s, mod, s.env([goBin(), s.path('tools')]));
    assert.equal(r.snapshot.tools.find((x) => x.name === 'gopls')?.path, undefined);
    const [f] = findingsOf(r.report, 'GSD201');
    assert.ok(f, explain(r.report));
    assert.ok(f.message.includes(`${dir} is a directory: the Go extension skips it.`), f.message);
    assert.ok(f.evidence.includes(`cannot run: ${dir} (a directory)`), f.evidence.join('\n'));
  });

  test('symlink loops in the workspace: self, pairs, a link to an ancestor, a looping settings.json and go.work', async (t) => {
    const s = scenario('loops');
    const repo = s.module('repo', '1.22', { 'pkg/p.go': 'package pkg\n' });
    s.link('repo/self', 'self');
    s.link('repo/a', 'b');
    s.link('repo/b', 'a');
    s.link('repo/pkg/up', '..');
    s.link('repo/pkg/root', repo);
    s.link('repo/.vscode/settings.json', 'settings.json');
    s.link('repo/go.work', 'go.work');
    const r = await diagnoseHostile(t, s, repo, s.env([goBin(), sysbin(s)]));
    const folder = r.snapshot.workspace.folders[0];
    assert.equal(folder.walkCapped, false);
    assert.deepEqual(folder.goFiles, ['main.go', 'pkg/p.go']);
    const layer = r.snapshot.settings.find((l) => l.scope === 'workspaceFolder');
    assert.match(layer?.readError ?? '', /^ELOOP/);
    const f = findingsOf(r.report, 'GSD311').find((x) => x.title === 'Cannot read folder settings');
    assert.ok(f, explain(r.report));
    assert.ok(f.message.includes('ELOOP'), f.message);
  });

  test('a directory in the workspace that cannot be read (mode 000)', { skip: permSkip }, async (t) => {
    const s = scenario('noperm-dir');
    // Not a module at its root: whether it is one depends on what the unreadable directory holds.
    const repo = s.folder('repo', { 'README.md': '# repo\n', 'secret/go.mod': 'module secret\n\ngo 1.22\n', 'secret/main.go': 'package main\n' });
    fs.chmodSync(path.join(repo, 'secret'), 0o000);
    const r = await diagnoseHostile(t, s, repo, s.env([goBin(), sysbin(s)]), { unprivileged: true });
    const note = r.snapshot.skippedProbes.find((p) => p.probe === 'workspaceWalk');
    assert.ok(note, JSON.stringify(r.snapshot.skippedProbes));
    assert.ok(note.reason.includes('secret (EACCES)'), note.reason);
    for (const code of ['GSD401', 'GSD402']) {
      const c = check(r.report, code);
      assert.equal(c.status, 'skipped', `${code}: ${JSON.stringify(c)}`);
      assert.ok(c.reason?.includes('secret (EACCES)'), c.reason);
    }
    // A module at the root needs no walk to pass those checks; the report still says what was not read.
    const mod = s.module('mod', '1.22', { 'private/x.go': 'package private\n' });
    fs.chmodSync(path.join(mod, 'private'), 0o000);
    const m = await diagnoseHostile(t, s, mod, s.env([goBin(), sysbin(s)]), { unprivileged: true });
    const f = findingsOf(m.report, 'GSD902').find((x) => x.title === 'Not run: workspaceWalk');
    assert.ok(f, explain(m.report));
    assert.equal(f.message, `Could not read a directory in ${mod}: private (EACCES). Go files and modules in it were not seen.`);
  });

  test('an unreadable settings.json (folder and user, mode 000)', { skip: permSkip }, async (t) => {
    const s = scenario('noperm-settings');
    const repo = s.module('repo', '1.22');
    const folderSettings = s.folderSettings(repo, '{ "go.buildOnSave": "off" }\n');
    const userSettings = s.userSettings('{ "go.lintOnSave": true }\n');
    fs.chmodSync(folderSettings, 0o000);
    fs.chmodSync(userSettings, 0o000);
    const r = await diagnoseHostile(t, s, repo, s.env([goBin(), sysbin(s)]), { unprivileged: true });
    const titles = findingsOf(r.report, 'GSD311').map((f) => f.title).sort();
    assert.deepEqual(titles, ['Cannot read folder settings', 'Cannot read user settings'], explain(r.report));
    for (const f of findingsOf(r.report, 'GSD311')) assert.ok(f.message.includes('could not be read: EACCES: permission denied, open'), f.message);
  });

  test('a 10 MB settings file: parsed to the end, in bounded time', async (t) => {
    const s = scenario('big-settings');
    const repo = s.module('repo', '1.22');
    const parts = ['{\n  // generated by a settings-sync extension gone wrong\n'];
    let size = parts[0].length;
    for (let i = 0; size < 10 * 1024 * 1024; i++) {
      const line = `  "someExtension.cache.entry${i}": "${'v'.repeat(100)}", // ${i}\n`;
      parts.push(line);
      size += line.length;
    }
    parts.push('  "go.buildOnSave": "off"\n}\n');
    const text = parts.join('');
    s.folderSettings(repo, text);
    const r = await diagnoseHostile(t, s, repo, s.env([goBin(), sysbin(s)]));
    const f = findingsOf(r.report, 'GSD301').find((x) => x.title.includes('go.buildOnSave'));
    assert.ok(f, explain(r.report));
    // Two header lines, one line per generated entry: the key is on line `parts.length` (0-based).
    assert.equal(f.location?.range.start.line, parts.length);
    assert.ok(f.fixes.length > 0);
  });

  test('settings nested 100,000 levels deep (folder, user, and a .code-workspace)', async (t) => {
    const s = scenario('deep');
    const repo = s.module('repo', '1.22');
    s.folderSettings(repo, '['.repeat(100_000));
    s.userSettings('{"a":'.repeat(100_000));
    const r = await diagnoseHostile(t, s, repo, s.env([goBin(), sysbin(s)]));
    const titles = findingsOf(r.report, 'GSD311').map((f) => f.title).sort();
    assert.deepEqual(titles, ['Syntax error in folder settings', 'Syntax error in user settings'], explain(r.report));
    for (const f of findingsOf(r.report, 'GSD311')) assert.ok(f.message.includes('Maximum nesting depth exceeded'), f.message);

    const ws = s.write('all.code-workspace', `{"folders": [{"path": "repo"}], "settings": ${'['.repeat(100_000)}`);
    const w = await diagnoseHostile(t, s, ws, s.env([goBin(), sysbin(s)]));
    const f = findingsOf(w.report, 'GSD311').find((x) => x.title === 'Syntax error in workspace file settings');
    assert.ok(f, explain(w.report));
  });

  test('invalid UTF-8 in settings.json: diagnosed; --fix refuses to rewrite the file', async (t) => {
    const s = scenario('bad-utf8');
    const repo = s.module('repo', '1.22');
    const file = path.join(repo, '.vscode', 'settings.json');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const bytes = Buffer.concat([
      Buffer.from('{\n  "go.buildOnSave": "off", // caf'),
      Buffer.from([0xe9]), // Latin-1 é
      Buffer.from('\n  "files.encoding": "'),
      Buffer.from([0xff, 0xfe, 0xc3, 0x28]),
      Buffer.from('"\n}\n'),
    ]);
    fs.writeFileSync(file, bytes);
    const r = await diagnoseHostile(t, s, repo, s.env([goBin(), sysbin(s)]));
    const [f] = findingsOf(r.report, 'GSD301');
    assert.ok(f, explain(r.report));
    assert.equal(f.fixes[0]?.applicability, 'safe');
    const fixed = await diagnoseHostile(t, s, repo, s.env([goBin(), sysbin(s)]), { extra: ['--fix'] });
    assert.ok(fixed.stderr.includes('not valid UTF-8'), fixed.stderr);
    assert.ok(fs.readFileSync(file).equals(bytes));
  });

  test(`a workspace of 100,000 files: the walk stops at its cap (${WALK_ENTRY_CAP} entries) and the report says so`, async (t) => {
    const s = scenario('huge');
    const repo = s.folder('repo');
    for (let d = 0; d < 100; d++) {
      const dir = path.join(repo, `d${String(d).padStart(3, '0')}`);
      fs.mkdirSync(dir);
      for (let i = 0; i < 1000; i++) fs.writeFileSync(path.join(dir, `f${i}.txt`), '');
    }
    // The module sorts after every generated directory: beyond the cap.
    s.module('repo/zzz', '1.22');
    const started = performance.now();
    const r = await diagnoseHostile(t, s, repo, s.env([goBin(), sysbin(s)]));
    t.diagnostic(`with fingerprints: ${Math.round(performance.now() - started)} ms`);
    const folder = r.snapshot.workspace.folders[0];
    assert.equal(folder.walkCapped, true);
    assert.ok(folder.filesVisited < WALK_ENTRY_CAP, String(folder.filesVisited));
    assert.deepEqual(folder.nestedModules, []);
    for (const code of ['GSD401', 'GSD402']) {
      const c = check(r.report, code);
      assert.equal(c.status, 'skipped', `${code}: ${JSON.stringify(c)}`);
      assert.ok(c.reason?.includes('stopped at its cap'), c.reason);
    }
  });
});
