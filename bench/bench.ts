// `npm run bench` (scripts/bench.sh): how fast is the diagnosis, measured side by side in one run
// on this machine against the floors it cannot beat (`node -e 0`, one bare `go env -json`) and
// against the probes vscode-go's "Go: Locate Configured Go Tools" runs. Prints a table and writes
// bench/RESULTS.md. No assertions: the numbers are reported as they come.
//
//   npx tsx bench/bench.ts [--n 15] [--engine-runs 1000] [--out bench/RESULTS.md] [--baseline REV]
//
// --baseline REV also measures the cold diagnosis of git revision REV (extension/src taken with
// `git archive`, bundled with the current engine build), interleaved with the current code:
// before/after under the same machine load. REV may also be a directory holding extension/src.
// --baseline-label TEXT names it in the table.
import { execFile, execFileSync, spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { promisify } from 'util';
import { runEngine } from '../extension/src/engine/index';
import type { Snapshot } from '../extension/src/engine/generated/Snapshot';
import { MemoryProbeCache, type ProbeCache } from '../extension/src/gather/cache';
import { runCommand, type Exec } from '../extension/src/gather/exec';
import { probePlatform } from '../extension/src/gather/probes/platform';
import { loadWorkspaceSettings } from '../extension/src/gather/settingsFiles';
import { gatherSnapshot } from '../extension/src/gather/snapshot';

const ROOT = path.resolve(__dirname, '..');
const CLI = path.join(ROOT, 'dist', 'cli.js');
const NATIVE = path.join(ROOT, 'target', 'release', process.platform === 'win32' ? 'go-setup-doctor.exe' : 'go-setup-doctor');
const MANIFEST = path.join(ROOT, '.cache', 'toolchains', 'manifest.json');

// ---- options ----
function flag(name: string, def: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : def;
}
const N = Number(flag('--n', process.env.BENCH_N ?? '15'));
const ENGINE_RUNS = Number(flag('--engine-runs', '1000'));
const OUT = path.resolve(flag('--out', path.join(ROOT, 'bench', 'RESULTS.md')));
const BASELINE = flag('--baseline', '');
const BASELINE_LABEL = flag('--baseline-label', '');

// ---- statistics ----
interface Stats {
  median: number;
  p90: number;
  min: number;
  n: number;
}
function stats(xs: number[]): Stats {
  const s = [...xs].sort((a, b) => a - b);
  // Nearest rank.
  const at = (q: number) => s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))];
  return { median: at(0.5), p90: at(0.9), min: s[0], n: s.length };
}
const fmt = (ms: number) => (ms >= 100 ? ms.toFixed(0) : ms >= 10 ? ms.toFixed(1) : ms >= 1 ? ms.toFixed(2) : ms.toFixed(3));
const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}×`;

// ---- processes ----
interface Proc {
  ms: number;
  code: number | null;
  stdout: string;
  stderr: string;
}
function timeSpawn(argv: string[], opts: { env: NodeJS.ProcessEnv; cwd?: string }): Promise<Proc> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(argv[0], argv.slice(1), { env: opts.env, cwd: opts.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ ms: performance.now() - t0, code, stdout, stderr }));
  });
}
const execFileP = promisify(execFile);

// ---- the fixture: a module, a temp HOME, the real go1.24 + gopls + dlv on PATH ----
interface Manifest {
  go: { version: string; bin: string }[];
  gopls: { version: string; path: string; goVersion: string }[];
  dlv: { version: string; path: string; goVersion: string }[];
}
function fixture() {
  if (!fs.existsSync(MANIFEST)) throw new Error(`${MANIFEST} is missing: run bash scripts/install-go-toolchains.sh`);
  const m = JSON.parse(fs.readFileSync(MANIFEST, 'utf8')) as Manifest;
  const newest = <T extends { version: string }>(xs: T[]) =>
    [...xs].sort((a, b) => b.version.localeCompare(a.version, undefined, { numeric: true }))[0];
  const go = newest(m.go);
  const gopls = newest(m.gopls);
  const dlv = newest(m.dlv);
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'gsd-bench-')));
  const home = path.join(root, 'home');
  const folder = path.join(root, 'proj');
  const tools = path.join(root, 'tools');
  for (const d of [home, folder, tools, path.join(folder, '.vscode')]) fs.mkdirSync(d, { recursive: true });
  fs.writeFileSync(path.join(folder, 'go.mod'), 'module example.com/proj\n\ngo 1.22\n');
  fs.writeFileSync(path.join(folder, 'main.go'), 'package main\n\nfunc main() {}\n');
  fs.writeFileSync(
    path.join(folder, '.vscode', 'settings.json'),
    '{\n  // A typical folder settings file.\n  "go.useLanguageServer": true,\n  "go.lintTool": "staticcheck",\n  "gopls": { "ui.semanticTokens": true },\n  "editor.formatOnSave": true\n}\n',
  );
  fs.symlinkSync(gopls.path, path.join(tools, 'gopls'));
  fs.symlinkSync(dlv.path, path.join(tools, 'dlv'));
  const env: NodeJS.ProcessEnv = {
    HOME: home,
    USER: 'gopher',
    SHELL: '/bin/bash',
    PATH: [path.dirname(go.bin), tools, '/usr/bin', '/bin'].join(':'),
    TMPDIR: os.tmpdir(),
    XDG_CACHE_HOME: path.join(root, 'xdg-cache'),
  };
  return { root, home, folder, tools, env, go, gopls, dlv, toolPaths: [path.join(tools, 'gopls'), path.join(tools, 'dlv')] };
}
type Fixture = ReturnType<typeof fixture>;

// ---- a baseline revision, for before/after ----
interface Baseline {
  rev: string;
  cli: string;
  gather: typeof gatherSnapshot;
}
function baseline(rev: string, dir: string): Baseline {
  const src = path.join(dir, 'baseline');
  fs.mkdirSync(src, { recursive: true });
  let name = rev;
  if (fs.existsSync(path.join(rev, 'extension', 'src'))) {
    fs.cpSync(path.join(rev, 'extension', 'src'), path.join(src, 'extension', 'src'), { recursive: true });
  } else {
    name = `${rev} (${execFileSync('git', ['rev-parse', '--short', rev], { cwd: ROOT, encoding: 'utf8' }).trim()})`;
    const tar = execFileSync('git', ['archive', '--format=tar', rev, 'extension/src'], { cwd: ROOT, maxBuffer: 1 << 28 });
    execFileSync('tar', ['-x', '-C', src], { input: tar });
  }
  // The engine build is not in git: use the current one (the gather is what differs).
  fs.cpSync(path.join(ROOT, 'extension', 'src', 'engine', 'pkg'), path.join(src, 'extension', 'src', 'engine', 'pkg'), { recursive: true });
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(src, 'node_modules'));
  const cli = path.join(src, 'dist', 'cli.js');
  execFileSync(
    path.join(ROOT, 'node_modules', '.bin', 'esbuild'),
    [path.join(src, 'extension/src/headless/cli.ts'), '--bundle', '--platform=node', '--target=node20', '--format=cjs', '--main-fields=module,main', `--outfile=${cli}`, '--log-level=error'],
    { cwd: src },
  );
  fs.copyFileSync(path.join(ROOT, 'dist', 'gsd_wasm_bg.wasm'), path.join(src, 'dist', 'gsd_wasm_bg.wasm'));
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mod = require(path.join(src, 'extension/src/gather/snapshot.ts')) as { gatherSnapshot: typeof gatherSnapshot };
  return { rev: BASELINE_LABEL || name, cli, gather: mod.gatherSnapshot };
}

// ---- the measured things ----
async function diagnoseInProcess(
  fx: Fixture,
  cache: ProbeCache | null,
  exec?: Exec,
  gather: typeof gatherSnapshot = gatherSnapshot,
): Promise<{ snapshot: Snapshot; gatherMs: number; engineMs: number; totalMs: number }> {
  const t0 = performance.now();
  const layout = await loadWorkspaceSettings({ target: fx.folder, env: fx.env });
  // A baseline gatherer may predate the `cache` option: it then ignores it (and has no cache).
  const snapshot = await gather({ folders: layout.folders, layers: layout.layers, env: fx.env, origin: 'headless', cache, exec, loginShell: true });
  const t1 = performance.now();
  runEngine(snapshot);
  const t2 = performance.now();
  return { snapshot, gatherMs: t1 - t0, engineMs: t2 - t1, totalMs: t2 - t0 };
}

/** vscode-go's "Go: Locate Configured Go Tools": go version, go env, then `go version -m` per tool. */
async function vscodeGoLocateTools(fx: Fixture, concurrentTools: boolean): Promise<number> {
  const t0 = performance.now();
  const opts = { cwd: fx.folder, env: fx.env };
  await execFileP(fx.go.bin, ['version'], opts);
  await execFileP(fx.go.bin, ['env'], opts);
  if (concurrentTools) await Promise.all(fx.toolPaths.map((t) => execFileP(fx.go.bin, ['version', '-m', t], { env: fx.env })));
  else for (const t of fx.toolPaths) await execFileP(fx.go.bin, ['version', '-m', t], { env: fx.env });
  return performance.now() - t0;
}

/** One traced cold gather: when each command started and ended, relative to the gather start. */
async function traceColdGather(fx: Fixture): Promise<{ lines: string[]; spawnMs: number; spawns: number; firstSpawn: number }> {
  const t0 = performance.now();
  const lines: { s: number; e: number; sync: number; what: string }[] = [];
  const exec: Exec = async (argv, opts) => {
    const s = performance.now() - t0;
    // runCommand spawns synchronously (fork + exec of this process): that part blocks this thread.
    const p = runCommand(argv, opts);
    const sync = performance.now() - t0 - s;
    const r = await p;
    const short = argv.map((a) => (a.startsWith(fx.root) ? `…/${path.relative(fx.root, a)}` : a.replace(/^.*\/(usr\/lib\/go-[^/]+\/bin\/go)$/, '/$1')));
    lines.push({ s, e: performance.now() - t0, sync, what: short.join(' ') });
    return r;
  };
  const r = await diagnoseInProcess(fx, null, exec);
  lines.sort((a, b) => a.s - b.s);
  const spawnMs = lines.reduce((a, l) => a + l.sync, 0);
  return {
    lines: [
      'start → end (observed)  spawn blocked  command',
      ...lines.map((l) => `${fmt(l.s).padStart(6)} → ${fmt(l.e).padStart(6)} ms  ${fmt(l.sync).padStart(6)} ms  ${l.what}`),
      `gather done at ${fmt(r.gatherMs)} ms (settings files read first), engine ${fmt(r.engineMs)} ms`,
    ],
    spawnMs,
    spawns: lines.length,
    firstSpawn: lines[0]?.s ?? 0,
  };
}

/** A settings.json of about `bytes`: many keys, nested values, line and block comments. */
function bigSettings(bytes: number): string {
  const parts = ['{\n  // Generated for the benchmark.\n  "go.useLanguageServer": true,\n  "go.lintTool": "staticcheck",\n'];
  let size = parts[0].length;
  for (let i = 0; size < bytes - 64; i++) {
    const entry =
      i % 3 === 0
        ? `  // setting ${i}: a line comment explaining it, as people write them\n  "ext${i % 97}.option${i}": { "enabled": ${i % 2 === 0}, "list": [${i}, ${i + 1}, "x${i}"], "name": "value ${i}" },\n`
        : i % 3 === 1
          ? `  /* block comment ${i} */ "editor.option${i}": ${i},\n`
          : `  "files.pattern${i}": "**/*.${i}.tmp",\n`;
    parts.push(entry);
    size += entry.length;
  }
  parts.push('  "editor.formatOnSave": true\n}\n');
  return parts.join('');
}

function withFolderSettings(snapshot: Snapshot, text: string): Snapshot {
  const copy = structuredClone(snapshot);
  const layer = copy.settings.find((l) => l.scope === 'workspaceFolder');
  if (!layer) throw new Error('the typical snapshot has no folder settings layer');
  layer.text = text;
  return copy;
}

function wasmRuns(snapshot: Snapshot, runs: number): Stats {
  for (let i = 0; i < Math.min(20, runs); i++) runEngine(snapshot);
  const xs: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    runEngine(snapshot);
    xs.push(performance.now() - t);
  }
  return stats(xs);
}

/** `go-setup-doctor check file --repeat n`: its own timing line (parse+check). */
function nativeRepeat(file: string, n: number): Stats | undefined {
  if (!fs.existsSync(NATIVE)) return undefined;
  const r = spawnSync(NATIVE, ['check', file, '--format', 'json', '--repeat', String(n)], { encoding: 'utf8', maxBuffer: 1 << 28 });
  const m = /parse\+check median ([\d.]+) ms, p90 ([\d.]+) ms, min ([\d.]+) ms/.exec(r.stderr);
  if (!m) return undefined;
  return { median: Number(m[1]), p90: Number(m[2]), min: Number(m[3]), n };
}

const STUB_LOADER = `
const Module = require('module');
const load = Module._load;
const stub = new Proxy(function () {}, {
  get: (t, k) => (k === 'then' ? undefined : k === Symbol.toPrimitive ? () => '' : stub),
  apply: () => stub,
  construct: () => stub,
});
// esbuild's __toESM copies the module's own properties: give the stub every name the bundle uses.
const api = {};
const src = require('fs').readFileSync(process.argv[2], 'utf8');
for (const m of src.matchAll(/\\bvscode\\d*\\.([A-Za-z_$][\\w$]*)/g)) api[m[1]] = stub;
Module._load = function (request, parent, isMain) {
  return request === 'vscode' ? api : load.call(this, request, parent, isMain);
};
const t0 = performance.now();
require(process.argv[2]);
process.stdout.write(String(performance.now() - t0));
`;

function sizeOf(p: string): number | undefined {
  try {
    return fs.statSync(p).size;
  } catch {
    return undefined;
  }
}
const kb = (b: number | undefined) => (b === undefined ? 'n/a' : `${(b / 1024).toFixed(0)} KiB`);

function machine(): Record<string, string> {
  let cpu = os.cpus()[0]?.model ?? 'unknown';
  try {
    const m = /^model name\s*:\s*(.*)$/m.exec(fs.readFileSync('/proc/cpuinfo', 'utf8'));
    if (m) cpu = m[1];
  } catch {
    /* not Linux */
  }
  const nproc = spawnSync('nproc', { encoding: 'utf8' }).stdout?.trim() || String(os.availableParallelism?.() ?? os.cpus().length);
  return {
    date: new Date().toISOString(),
    nproc,
    cpu,
    memory: `${(os.totalmem() / 2 ** 30).toFixed(1)} GiB`,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
  };
}

async function main(): Promise<void> {
  for (const f of [CLI, path.join(ROOT, 'dist', 'extension.js')]) if (!fs.existsSync(f)) throw new Error(`${f} is missing: run npm run build`);
  const fx = fixture();
  const info = machine();
  const load0 = os.loadavg();
  process.stderr.write(`bench: fixture ${fx.root}, n=${N}\n`);
  const base = BASELINE ? baseline(BASELINE, fx.root) : undefined;
  const goVersion = spawnSync(fx.go.bin, ['version'], { encoding: 'utf8', env: fx.env }).stdout.trim();

  // Prime what "warm" means: the memory cache of this process, the disk cache of the CLI.
  const memCache = new MemoryProbeCache();
  const first = await diagnoseInProcess(fx, memCache); // also loads the WASM engine in this process
  const engineFirstCallMs = first.engineMs;
  const cliCacheDir = path.join(fx.root, 'cli-cache');
  const snapFile = path.join(fx.root, 'snapshot.json');
  const primed = await timeSpawn([process.execPath, CLI, fx.folder, '--json', '--cache-dir', cliCacheDir, '--snapshot-out', snapFile], { env: fx.env });
  JSON.parse(primed.stdout); // the report is valid JSON
  // The typical snapshot, as a cold run sees it (no `cached` marks).
  const coldSnap = await timeSpawn([process.execPath, CLI, fx.folder, '--json', '--no-cache', '--snapshot-out', snapFile], { env: fx.env });
  JSON.parse(coldSnap.stdout);
  const typical = JSON.parse(fs.readFileSync(snapFile, 'utf8')) as Snapshot;

  // ---- wall-clock cases, interleaved round by round so machine load hits them alike ----
  const cases: Record<string, { label: string; run: () => Promise<number>; xs: number[] }> = {};
  const add = (id: string, label: string, run: () => Promise<number>) => (cases[id] = { label, run, xs: [] });
  add('node', '`node -e 0` (Node.js startup floor)', async () => (await timeSpawn([process.execPath, '-e', '0'], { env: fx.env })).ms);
  add('goenv', 'bare `go env -json` (one cold process: the floor)', async () => {
    const r = await timeSpawn([fx.go.bin, 'env', '-json'], { env: fx.env, cwd: fx.folder });
    if (r.code !== 0) throw new Error(`go env failed: ${r.stderr}`);
    return r.ms;
  });
  add('gopls', '`gopls version -json` alone (the slowest probe)', async () => (await timeSpawn([fx.toolPaths[0], 'version', '-json'], { env: fx.env, cwd: fx.folder })).ms);
  add('cliHelp', '`node dist/cli.js --help` (startup + bundle load, no work)', async () => (await timeSpawn([process.execPath, CLI, '--help'], { env: fx.env })).ms);
  add('cliCold', 'full diagnosis, cold: `node dist/cli.js <folder> --json --no-cache`', async () => {
    const r = await timeSpawn([process.execPath, CLI, fx.folder, '--json', '--no-cache'], { env: fx.env });
    if (r.code !== 0 && r.code !== 1) throw new Error(`cli failed (${r.code}): ${r.stderr}`);
    return r.ms;
  });
  add('cliWarm', 'full diagnosis, warm: `node dist/cli.js <folder> --json` (disk cache)', async () => {
    const r = await timeSpawn([process.execPath, CLI, fx.folder, '--json', '--cache-dir', cliCacheDir], { env: fx.env });
    if (r.code !== 0 && r.code !== 1) throw new Error(`cli failed (${r.code}): ${r.stderr}`);
    return r.ms;
  });
  const inColdParts: { g: number; e: number }[] = [];
  add('inCold', 'gather + engine in-process, no cache (extension host, first run)', async () => {
    const r = await diagnoseInProcess(fx, null);
    inColdParts.push({ g: r.gatherMs, e: r.engineMs });
    return r.totalMs;
  });
  if (base) {
    add('baseCliCold', `same, cold CLI of the baseline ${base.rev}`, async () => {
      const r = await timeSpawn([process.execPath, base.cli, fx.folder, '--json'], { env: fx.env });
      if (r.code !== 0 && r.code !== 1) throw new Error(`baseline cli failed (${r.code}): ${r.stderr}`);
      return r.ms;
    });
    add('baseInCold', `same, in-process no cache, baseline ${base.rev}`, async () => (await diagnoseInProcess(fx, null, undefined, base.gather)).totalMs);
  }
  const inWarmParts: { g: number; e: number }[] = [];
  add('inWarm', 'gather + engine in-process, memory cache (extension host, re-run)', async () => {
    const r = await diagnoseInProcess(fx, memCache);
    inWarmParts.push({ g: r.gatherMs, e: r.engineMs });
    return r.totalMs;
  });
  add('vsgoSeq', 'vscode-go "Locate Configured Go Tools" probes, sequential', () => vscodeGoLocateTools(fx, false));
  add('vsgoPar', 'same, tools\' `go version -m` concurrent (vscode-go master)', () => vscodeGoLocateTools(fx, true));
  add('nativeProc', 'native replay process: `go-setup-doctor check snapshot.json`', async () => {
    if (!fs.existsSync(NATIVE)) return NaN;
    return (await timeSpawn([NATIVE, 'check', snapFile, '--format', 'json'], { env: fx.env })).ms;
  });
  const ext = path.join(fx.root, 'require-extension.js');
  fs.writeFileSync(ext, STUB_LOADER);
  const requireMs: number[] = [];
  add('extRequire', 'activation proxy: `require(dist/extension.js)` in a fresh node (stub vscode)', async () => {
    const r = await timeSpawn([process.execPath, ext, path.join(ROOT, 'dist', 'extension.js')], { env: fx.env });
    if (r.code !== 0) throw new Error(`require failed: ${r.stderr}`);
    requireMs.push(Number(r.stdout));
    return r.ms;
  });

  for (let round = 0; round < N; round++) {
    for (const c of Object.values(cases)) c.xs.push(await c.run());
    process.stderr.write(`\rbench: round ${round + 1}/${N}`);
  }
  process.stderr.write('\n');

  // ---- where the time goes (same process state as the rounds above) ----
  const trace = await traceColdGather(fx);
  const platformMs: number[] = [];
  for (let i = 0; i < N; i++) {
    const t = performance.now();
    await probePlatform({ env: fx.env, exec: runCommand, timeoutMs: 3000 });
    platformMs.push(performance.now() - t);
  }
  const procCount = fs.existsSync('/proc') ? fs.readdirSync('/proc').filter((e) => /^\d+$/.test(e)).length : 0;

  // ---- engine alone ----
  const typicalFile = snapFile;
  const mb1 = withFolderSettings(typical, bigSettings(1 << 20));
  const mb4 = withFolderSettings(typical, bigSettings(4 << 20));
  const mb1File = path.join(fx.root, 'snapshot-1mb.json');
  const mb4File = path.join(fx.root, 'snapshot-4mb.json');
  fs.writeFileSync(mb1File, JSON.stringify(mb1));
  fs.writeFileSync(mb4File, JSON.stringify(mb4));
  const engine = {
    wasmTypical: wasmRuns(typical, ENGINE_RUNS),
    wasm1: wasmRuns(mb1, 30),
    wasm4: wasmRuns(mb4, 15),
    nativeTypical: nativeRepeat(typicalFile, ENGINE_RUNS),
    native1: nativeRepeat(mb1File, 30),
    native4: nativeRepeat(mb4File, 15),
  };
  const findings4 = runEngine(mb4).findings.length;
  const load1 = os.loadavg();

  // ---- report ----
  const S = Object.fromEntries(Object.entries(cases).map(([k, c]) => [k, stats(c.xs.filter((x) => !Number.isNaN(x)))]));
  const med = (id: string) => S[id].median;
  const rows: string[][] = [];
  const row = (label: string, s: Stats | undefined, note = '') =>
    rows.push(s && s.n > 0 ? [label, fmt(s.median), fmt(s.p90), fmt(s.min), String(s.n), note] : [label, 'n/a', '', '', '0', note]);
  row(cases.node.label, S.node);
  row(cases.goenv.label, S.goenv, '1.00× (reference)');
  row(cases.gopls.label, S.gopls, `${ratio(med('gopls'), med('goenv'))} bare go env`);
  row(cases.cliHelp.label, S.cliHelp);
  row(cases.cliCold.label, S.cliCold, `${ratio(med('cliCold'), med('goenv'))} bare go env`);
  if (S.baseCliCold) row(cases.baseCliCold.label, S.baseCliCold, `${ratio(med('baseCliCold'), med('goenv'))} bare go env; now ${ratio(med('cliCold'), med('baseCliCold'))} of it`);
  row(cases.cliWarm.label, S.cliWarm, `${ratio(med('cliWarm'), med('goenv'))} bare go env; ${ratio(med('cliWarm'), med('cliCold'))} cold`);
  row(cases.inCold.label, S.inCold, `${ratio(med('inCold'), med('goenv'))} bare go env; gather ${fmt(stats(inColdParts.map((p) => p.g)).median)} + engine ${fmt(stats(inColdParts.map((p) => p.e)).median)}`);
  if (S.baseInCold) row(cases.baseInCold.label, S.baseInCold, `${ratio(med('baseInCold'), med('goenv'))} bare go env; now ${ratio(med('inCold'), med('baseInCold'))} of it`);
  row(cases.inWarm.label, S.inWarm, `${ratio(med('inWarm'), med('inCold'))} cold; gather ${fmt(stats(inWarmParts.map((p) => p.g)).median)} + engine ${fmt(stats(inWarmParts.map((p) => p.e)).median)}`);
  row(cases.vsgoSeq.label, S.vsgoSeq, `ours in-process cold = ${ratio(med('inCold'), med('vsgoSeq'))} of it`);
  row(cases.vsgoPar.label, S.vsgoPar, `ours in-process cold = ${ratio(med('inCold'), med('vsgoPar'))} of it`);
  row(cases.nativeProc.label, S.nativeProc);
  row('engine, WASM in-process warm, typical snapshot (`runEngine`)', engine.wasmTypical, `${(JSON.stringify(typical).length / 1024).toFixed(0)} KiB snapshot`);
  row('engine, native, typical snapshot (parse+check, `--repeat`)', engine.nativeTypical);
  row('engine, WASM, folder settings.json 1 MiB', engine.wasm1, `${fmt(engine.wasm1.min)} ms/MiB (min)`);
  row('engine, WASM, folder settings.json 4 MiB', engine.wasm4, `${ratio(engine.wasm4.min, engine.wasm1.min)} the 1 MiB time (min; linear = 4×); ${findings4} findings`);
  row('engine, native, folder settings.json 1 MiB', engine.native1);
  row('engine, native, folder settings.json 4 MiB', engine.native4, engine.native4 && engine.native1 ? `${ratio(engine.native4.min, engine.native1.min)} the 1 MiB time (min)` : '');
  row('engine, WASM first call in a process (compile + instantiate + first check)', { median: engineFirstCallMs, p90: engineFirstCallMs, min: engineFirstCallMs, n: 1 });
  row(cases.extRequire.label, S.extRequire, `in-process require ${fmt(stats(requireMs).median)} ms (median)`);

  const header = ['Measurement', 'median ms', 'p90 ms', 'min ms', 'n', 'ratio / note'];
  const table = [header, header.map(() => '---'), ...rows].map((r) => `| ${r.join(' | ')} |`).join('\n');

  const targets = [
    ['cold full diagnosis ≤ 1.3× bare `go env -json` (CLI process)', `${ratio(med('cliCold'), med('goenv'))}`, med('cliCold') <= 1.3 * med('goenv')],
    ['cold full diagnosis ≤ 1.3× bare `go env -json` (in-process, as in the extension host)', `${ratio(med('inCold'), med('goenv'))}`, med('inCold') <= 1.3 * med('goenv')],
    ['warm re-run ≤ 30 ms (in-process, memory cache)', `${fmt(med('inWarm'))} ms`, med('inWarm') <= 30],
    ['engine ≤ 5 ms in WASM on a typical snapshot', `${fmt(engine.wasmTypical.median)} ms`, engine.wasmTypical.median <= 5],
    ['engine linear in settings size (4 MiB / 1 MiB ≈ 4×, WASM, fastest runs)', ratio(engine.wasm4.min, engine.wasm1.min), engine.wasm4.min / engine.wasm1.min < 5],
  ];
  const targetTable = [
    '| Target | Measured | Met |',
    '| --- | --- | --- |',
    ...targets.map(([t, m, ok]) => `| ${t} | ${m} | ${ok ? 'yes' : 'no'} |`),
  ].join('\n');

  const sizes = [
    '| File | Size |',
    '| --- | --- |',
    ...['extension.js', 'cli.js', 'gsd_wasm_bg.wasm'].map((f) => `| dist/${f} | ${kb(sizeOf(path.join(ROOT, 'dist', f)))} |`),
    ...fs
      .readdirSync(path.join(ROOT, 'dist'))
      .filter((f) => f.endsWith('.vsix'))
      .map((f) => `| dist/${f} | ${kb(sizeOf(path.join(ROOT, 'dist', f)))} |`),
  ].join('\n');

  const md = `# Benchmark results

Produced by \`npm run bench\` (scripts/bench.sh → bench/bench.ts); every number below comes from one
run on the machine described here. Wall-clock cases ran interleaved, one round at a time, ${N} rounds;
the engine cases ran back to back afterwards.

| | |
| --- | --- |
| Date | ${info.date} |
| Machine | ${info.nproc} CPUs (\`nproc\`), ${info.cpu}, ${info.memory} RAM |
| OS | ${info.os} |
| Node.js | ${info.node} |
| Go / tools | ${goVersion}; gopls ${fx.gopls.version} (built with ${fx.gopls.goVersion}); dlv ${fx.dlv.version} (built with ${fx.dlv.goVersion}) |
| Load average (1 min) | ${load0[0].toFixed(2)} at start, ${load1[0].toFixed(2)} at end |

The fixture is a module folder (\`go 1.22\`, one .go file, a folder settings.json) with a temp HOME,
and PATH = the go1.24 bin dir, a dir with gopls and dlv, /usr/bin, /bin. The diagnosis also finds
the other Go installs in well-known directories of this machine and runs \`go version\` on each.

## Timings

${table}

## Targets

${targetTable}

## One cold gather, traced (in-process, no cache)

Start → end of every command, relative to the start of the gather:

\`\`\`
${trace.lines.join('\n')}
\`\`\`

## Where the cold time goes

- Node.js startup (\`node -e 0\`): ${fmt(med('node'))} ms; loading the CLI bundle adds ${fmt(med('cliHelp') - med('node'))} ms
  (\`--help\` minus \`node -e 0\`). A bare \`go env -json\` is one Go process with nothing to load
  first, so a Node program cannot get near 1.3× of it: startup alone is ${ratio(med('node'), med('goenv'))}.
- The probes run concurrently, so the slowest one bounds the gather: \`gopls version -json\` alone takes
  ${fmt(med('gopls'))} ms, ${ratio(med('gopls'), med('goenv'))} a bare \`go env -json\`.
- Starting a process is not free for the starter: each spawn forks this Node process and blocks its
  thread until the exec. In the trace, ${trace.spawns} spawns blocked it for ${fmt(trace.spawnMs)} ms in total; while it is
  blocked, finished commands are not noticed (hence the clustered end times) and the next spawn
  waits. The first command starts ${fmt(trace.firstSpawn)} ms after the gather starts (settings files, candidate lookup).
- In-process (the extension host, where Node and the bundle are already loaded) the cold
  diagnosis takes ${fmt(med('inCold'))} ms; vscode-go's own "Locate Configured Go Tools" probes take
  ${fmt(med('vsgoSeq'))} ms sequential / ${fmt(med('vsgoPar'))} ms with concurrent tools (fewer commands: no gopls or dlv version
  run, one go version).
- Warm, nothing runs again: ${fmt(med('inWarm'))} ms in-process, ${fmt(med('cliWarm'))} ms for the CLI process (of which
  ${fmt(med('cliHelp'))} ms is Node.js startup and bundle load). Not cached by design (cheap reads, re-read every
  run): settings files, the workspace walk, and the platform probe, which alone takes
  ${fmt(stats(platformMs).median)} ms (median) here: it reads /proc/<pid>/cmdline and exe of each of the ${procCount} processes
  to find running gopls.

## Bundle sizes

${sizes}
`;
  fs.mkdirSync(path.dirname(OUT), { recursive: true });
  fs.writeFileSync(OUT, md);
  process.stdout.write(`${table}\n\n${targetTable}\n\n${trace.lines.join('\n')}\n\n${sizes}\n\nwritten to ${path.relative(process.cwd(), OUT)}\n`);
  fs.rmSync(fx.root, { recursive: true, force: true });
}

main().catch((e: unknown) => {
  process.stderr.write(`bench failed: ${(e as Error)?.stack ?? String(e)}\n`);
  process.exitCode = 1;
});
