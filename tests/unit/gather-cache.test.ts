// The probe cache (gather/cache.ts): a probe re-runs exactly when one of its inputs changed.
// gatherSnapshot runs with an injected exec that counts calls; the "binaries" are real files
// with an ELF header (so the cache treats them as native programs) that are never run.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, test } from 'node:test';
import type { CommandRun } from '../../extension/src/engine/generated/CommandRun';
import type { Snapshot } from '../../extension/src/engine/generated/Snapshot';
import {
  cacheableArgs,
  defaultCacheDir,
  DiskProbeCache,
  MemoryProbeCache,
  probeKey,
  withProbeCache,
  type ProbeCache,
} from '../../extension/src/gather/cache';
import { runCommand, type Exec, type RunOptions } from '../../extension/src/gather/exec';
import { gatherSnapshot } from '../../extension/src/gather/snapshot';
import { parseArgs } from '../../extension/src/headless/args';
import { main } from '../../extension/src/headless/main';
import { skipScenarios, go as goInstall } from '../helpers/toolchains';

const tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'gsd-cache-')));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

let n = 0;
/** A fresh directory for one test. */
function dir(label: string): string {
  const d = path.join(tmp, `${label}-${n++}`);
  fs.mkdirSync(d, { recursive: true });
  return d;
}

/** A fake native binary: ELF magic, then `tag` (so different tags are different contents). */
function binary(p: string, tag = 'v1'): string {
  fs.mkdirSync(path.dirname(p), { recursive: true });
  fs.writeFileSync(p, Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46]), Buffer.from(`fake:${tag}`)]), { mode: 0o755 });
  return p;
}

interface Call {
  argv: string[];
  opts: RunOptions;
}

/** Answers like go1.22 and its tools; `fail` makes matching commands exit 1. */
function fakeExec(calls: Call[], answers: { goEnv: Record<string, string>; fail?: (argv: string[]) => boolean; timeout?: (argv: string[]) => boolean }): Exec {
  return async (argv, opts) => {
    calls.push({ argv, opts });
    const [bin, ...args] = argv;
    let stdout = 'Delve Debugger\nVersion: 1.22.0\n';
    if (args[0] === 'version' && args[1] === '-m') stdout = args.slice(2).map((b) => `${b}: go1.22.12\n\tpath\tx\n`).join('');
    else if (path.basename(bin) === 'go' && args[0] === 'version') stdout = 'go version go1.22.12 linux/amd64\n';
    else if (path.basename(bin) === 'go' && args[0] === 'env') stdout = JSON.stringify(answers.goEnv);
    else if (path.basename(bin) === 'gopls') stdout = '{"GoVersion": "go1.22.12", "Version": "v0.16.1"}';
    const run: CommandRun = {
      argv,
      envOverrides: {},
      stdout,
      stderr: '',
      exitCode: 0,
      timedOut: false,
      timeoutMs: opts.timeoutMs,
      truncated: false,
      durationMs: 1,
    };
    if (opts.cwd !== undefined) run.cwd = opts.cwd;
    if (answers.fail?.(argv)) return { ...run, stdout: '', stderr: 'boom', exitCode: 1 };
    if (answers.timeout?.(argv)) {
      const t: CommandRun = { ...run, stdout: '', timedOut: true, signal: 'SIGKILL' };
      delete t.exitCode;
      return t;
    }
    return run;
  };
}

/** A workspace with a go, gopls and dlv on PATH (nothing else), a module, a temp HOME. */
function setup(label: string) {
  const root = dir(label);
  const home = path.join(root, 'home');
  const bin = path.join(root, 'bin');
  const folder = path.join(root, 'proj');
  fs.mkdirSync(folder, { recursive: true });
  fs.mkdirSync(home, { recursive: true });
  fs.writeFileSync(path.join(folder, 'go.mod'), 'module x\n\ngo 1.22\n');
  const go = binary(path.join(bin, 'go'));
  const gopls = binary(path.join(bin, 'gopls'));
  const dlv = binary(path.join(bin, 'dlv'));
  const env: NodeJS.ProcessEnv = { HOME: home, PATH: bin, GOFLAGS: '-mod=mod' };
  const goEnvFile = path.join(home, '.config', 'go', 'env');
  const goEnv = { GOROOT: root, GOPATH: path.join(home, 'go'), GOBIN: '', GOENV: goEnvFile, GOVERSION: 'go1.22.12' };
  return { root, home, bin, folder, go, gopls, dlv, env, goEnvFile, goEnv };
}

type Setup = ReturnType<typeof setup>;

/** The commands that ran, by short name: `go version`, `go env`, `go version -m`, `gopls`, `dlv`. */
function names(calls: Call[], s: Setup): string[] {
  return calls
    .filter((c) => c.argv[0].startsWith(s.root))
    .map((c) => {
      const b = path.basename(c.argv[0]);
      if (b !== 'go') return b;
      return c.argv[1] === 'env' ? 'go env' : c.argv[1] === 'list' ? 'go list' : c.argv[2] === '-m' ? 'go version -m' : 'go version';
    })
    .sort();
}

/** Observations of the moment (the kernel log): run on every diagnosis, never cached, by design. */
const LIVE = new Set(['dmesg']);
const probeCalls = (calls: Call[]): Call[] => calls.filter((c) => !LIVE.has(c.argv[0]));

const ALL = ['dlv', 'go env', 'go list', 'go version', 'go version -m', 'gopls'];
const GO_ONLY = ['go env', 'go list', 'go version', 'go version -m'];

async function gather(s: Setup, cache: ProbeCache | null, calls: Call[], over: { env?: NodeJS.ProcessEnv; fail?: (argv: string[]) => boolean; timeout?: (argv: string[]) => boolean } = {}): Promise<Snapshot> {
  return gatherSnapshot({
    folders: [s.folder],
    layers: [],
    env: over.env ?? s.env,
    exec: fakeExec(calls, { goEnv: s.goEnv, fail: over.fail, timeout: over.timeout }),
    cache,
    platform: 'linux',
  });
}

/** Gather once with a fresh counter; what ran. */
async function ran(s: Setup, cache: ProbeCache | null, over: Parameters<typeof gather>[3] = {}): Promise<string[]> {
  const calls: Call[] = [];
  await gather(s, cache, calls, over);
  return names(calls, s);
}

/** Give a file a new mtime (1 s later than now: coarse-timestamp file systems see it too). */
function touch(p: string): void {
  const t = new Date(Date.now() + 1000);
  fs.utimesSync(p, t, t);
}

describe('probe cache: gatherSnapshot re-runs a probe exactly when its inputs change', () => {
  test('unchanged inputs: nothing runs again; the cached runs are the first runs verbatim, marked cached', async () => {
    const s = setup('same');
    const cache = new MemoryProbeCache();
    const calls: Call[] = [];
    const first = await gather(s, cache, calls);
    assert.deepEqual(names(calls, s), ALL);
    const again: Call[] = [];
    const second = await gather(s, cache, again);
    assert.deepEqual(probeCalls(again), [], 'no command ran the second time');
    // Every CommandRun is the first one's, plus `cached: true`.
    // Live facts of the moment (uptime, the kernel log) are read anew each time, by design.
    const live = new Set(['cached', 'uptime', 'kernelLog']);
    const strip = (snap: Snapshot) => JSON.parse(JSON.stringify(snap, (k, v) => (live.has(k) ? undefined : v)));
    assert.deepEqual(strip(second), strip(first));
    assert.equal(second.go?.env?.cached, true);
    assert.equal(second.go?.version?.cached, true);
    assert.equal(second.toolsBuildInfo?.cached, true);
    assert.ok(second.tools.every((t) => t.version?.cached === true));
    assert.equal(first.go?.env?.cached, undefined, 'a run that really ran is not marked');
  });

  test('touching the go binary re-runs the go commands only', async () => {
    const s = setup('touch-go');
    const cache = new MemoryProbeCache();
    await ran(s, cache);
    touch(s.go);
    assert.deepEqual(await ran(s, cache), GO_ONLY);
    assert.deepEqual(await ran(s, cache), [], 'and then they are cached again');
  });

  test('replacing a binary\'s content (same size, same mtime) re-runs what reads it', async () => {
    const s = setup('replace');
    const cache = new MemoryProbeCache();
    const when = 1_700_000_000; // a whole second: restored exactly below
    fs.utimesSync(s.gopls, when, when);
    await ran(s, cache);
    const before = fs.statSync(s.gopls, { bigint: true });
    binary(s.gopls, 'v2'); // same length as 'v1'
    fs.utimesSync(s.gopls, when, when);
    const now = fs.statSync(s.gopls, { bigint: true });
    assert.deepEqual([now.mtimeNs, now.size, now.ino], [before.mtimeNs, before.size, before.ino], 'only the content and ctime changed');
    // gopls version -json, and `go version -m` (which reads gopls); not go env, not dlv.
    assert.deepEqual(await ran(s, cache), ['go version -m', 'gopls']);
  });

  test('a binary replaced by another file (new inode) and a retargeted symlink re-run', async () => {
    const s = setup('rename');
    const cache = new MemoryProbeCache();
    await ran(s, cache);
    const next = binary(path.join(s.root, 'dlv.new'), 'v1');
    fs.renameSync(next, s.dlv);
    assert.deepEqual(await ran(s, cache), ['dlv', 'go version -m']);

    // go as a symlink to a release dir, then pointed at another release.
    const a = binary(path.join(s.root, 'sdk', 'a', 'go'));
    const b = binary(path.join(s.root, 'sdk', 'b', 'go'));
    fs.rmSync(s.go);
    fs.symlinkSync(a, s.go);
    assert.deepEqual(await ran(s, cache), GO_ONLY);
    assert.deepEqual(await ran(s, cache), []);
    fs.rmSync(s.go);
    fs.symlinkSync(b, s.go);
    assert.deepEqual(await ran(s, cache), GO_ONLY);
  });

  test('an env var that matters re-runs; one that does not, does not', async () => {
    const s = setup('env');
    const cache = new MemoryProbeCache();
    await ran(s, cache);
    assert.deepEqual(await ran(s, cache, { env: { ...s.env, UNRELATED: 'x' } }), []);
    // Every probe is keyed on GO* variables.
    assert.deepEqual(await ran(s, cache, { env: { ...s.env, GOFLAGS: '-mod=vendor' } }), ALL);
    assert.deepEqual(await ran(s, cache, { env: { ...s.env, GOTOOLCHAIN: 'local' } }), ALL);
    assert.deepEqual(await ran(s, cache, { env: { ...s.env, CGO_ENABLED: '0' } }), ALL);
    assert.deepEqual(await ran(s, cache, { env: { ...s.env, CC: 'clang' } }), ALL);
    // Back to the first environment: still cached.
    assert.deepEqual(await ran(s, cache), []);
  });

  test('go.mod / go.work text and the go env file re-run the go commands only', async () => {
    const s = setup('modfiles');
    const cache = new MemoryProbeCache();
    await ran(s, cache);
    // Same text rewritten: the key is the text, not the mtime.
    fs.writeFileSync(path.join(s.folder, 'go.mod'), 'module x\n\ngo 1.22\n');
    assert.deepEqual(await ran(s, cache), []);
    fs.writeFileSync(path.join(s.folder, 'go.mod'), 'module x\n\ngo 1.22\n\ntoolchain go1.23.0\n');
    assert.deepEqual(await ran(s, cache), GO_ONLY);
    // A go.work above the folder switches toolchains too.
    fs.writeFileSync(path.join(s.root, 'go.work'), 'go 1.23\n\nuse ./proj\n');
    assert.deepEqual(await ran(s, cache), GO_ONLY);
    assert.deepEqual(await ran(s, cache, { env: { ...s.env } }), []);
    // `go env -w` writes the go env file.
    fs.mkdirSync(path.dirname(s.goEnvFile), { recursive: true });
    fs.writeFileSync(s.goEnvFile, 'GOTOOLCHAIN=go1.23.0\n');
    assert.deepEqual(await ran(s, cache), GO_ONLY);
    touch(s.goEnvFile);
    assert.deepEqual(await ran(s, cache), GO_ONLY);
    // $GOROOT/go.env (next to the toolchain's bin dir).
    fs.writeFileSync(path.join(s.root, 'go.env'), 'GOPROXY=direct\n');
    assert.deepEqual(await ran(s, cache), GO_ONLY);
    assert.deepEqual(await ran(s, cache), []);
  });

  test('go.sum (beside the go.mod) re-runs the module check only; a folder without go.mod has none', async () => {
    const s = setup('gosum');
    const cache = new MemoryProbeCache();
    await ran(s, cache);
    fs.writeFileSync(path.join(s.folder, 'go.sum'), 'example.com/lib v1.0.0/go.mod h1:x=\n');
    assert.deepEqual(await ran(s, cache), ['go list']);
    touch(path.join(s.folder, 'go.sum'));
    assert.deepEqual(await ran(s, cache), ['go list']);
    assert.deepEqual(await ran(s, cache), []);
    fs.rmSync(path.join(s.folder, 'go.mod'));
    assert.ok(!(await ran(s, cache)).includes('go list'));
  });

  test('failed and timed-out runs are never cached', async () => {
    const s = setup('fail');
    const cache = new MemoryProbeCache();
    const goEnvFails = (argv: string[]) => argv[1] === 'env';
    await ran(s, cache, { fail: goEnvFails });
    assert.deepEqual(await ran(s, cache, { fail: goEnvFails }), ['go env'], 'the failing go env runs again; the rest is cached');
    assert.deepEqual(await ran(s, cache), ['go env'], 'once it succeeds it is stored');
    assert.deepEqual(await ran(s, cache), []);

    const t = setup('timeout');
    const tcache = new MemoryProbeCache();
    const dlvHangs = (argv: string[]) => path.basename(argv[0]) === 'dlv';
    assert.deepEqual(await ran(t, tcache, { timeout: dlvHangs }), ALL);
    assert.deepEqual(await ran(t, tcache, { timeout: dlvHangs }), ['dlv']);
  });

  test('scripts and multiplexing shims are never cached: what they run is decided at run time', async () => {
    const s = setup('shims');
    const cache = new MemoryProbeCache();
    // An asdf-style shim script for gopls.
    fs.writeFileSync(s.gopls, '#!/bin/sh\nexec asdf exec gopls "$@"\n', { mode: 0o755 });
    // A mise-style shim: dlv is a symlink to a program with another name.
    fs.rmSync(s.dlv);
    fs.symlinkSync(binary(path.join(s.root, 'mise', 'mise')), s.dlv);
    await ran(s, cache);
    assert.deepEqual(await ran(s, cache), ['dlv', 'gopls']);
    assert.deepEqual(await ran(s, cache), ['dlv', 'gopls']);
  });

  test('gatherSnapshot: no cache with an injected exec unless asked; `cache: null` turns it off', async () => {
    const s = setup('defaults');
    const calls: Call[] = [];
    const opts = { folders: [s.folder], layers: [], env: s.env, exec: fakeExec(calls, { goEnv: s.goEnv }), platform: 'linux' as const };
    await gatherSnapshot(opts);
    await gatherSnapshot(opts);
    assert.deepEqual(names(calls, s), [...ALL, ...ALL].sort());
    assert.deepEqual(await ran(s, null), ALL);
    assert.deepEqual(await ran(s, null), ALL);
  });
});

describe('probe cache: keys and the exec wrapper', () => {
  test('only the probe commands are cacheable', () => {
    assert.ok(cacheableArgs('go', ['version']));
    assert.ok(cacheableArgs('go', ['env', '-json']));
    assert.ok(cacheableArgs('go', ['version', '-m', '/x/gopls']));
    assert.ok(!cacheableArgs('go', ['version', '-m']));
    assert.ok(!cacheableArgs('go', ['env']));
    assert.ok(!cacheableArgs('go', ['env', '-w', 'GOFLAGS=x']));
    assert.ok(!cacheableArgs('go', ['build', './...']));
    assert.ok(cacheableArgs('tool', ['version', '-json']));
    assert.ok(cacheableArgs('tool', ['version']));
    assert.ok(!cacheableArgs('tool', ['serve']));
  });

  test('the key covers argv, cwd, timeout, overrides and relevant env; not a relative program', async () => {
    const d = dir('keys');
    const go = binary(path.join(d, 'go'));
    const base: RunOptions = { cwd: d, env: { PATH: d, HOME: d }, baseEnv: { PATH: d, HOME: d }, timeoutMs: 5000 };
    const k = (argv: string[], o: Partial<RunOptions> = {}) => probeKey('go', argv, { ...base, ...o }, 'linux');
    const k0 = await k([go, 'version']);
    assert.match(k0 ?? '', /^[0-9a-f]{64}$/);
    assert.equal(await k([go, 'version']), k0, 'stable');
    const variants = await Promise.all([
      k([go, 'env', '-json']),
      k([go, 'version'], { cwd: tmp }),
      k([go, 'version'], { timeoutMs: 4000 }),
      k([go, 'version'], { env: { ...base.env, GOPROXY: 'off' } }),
      // The same environment, but set by the gatherer rather than inherited: envOverrides differ.
      k([go, 'version'], { baseEnv: { PATH: d } }),
      k([go, 'version'], { env: { ...base.env, XDG_CONFIG_HOME: tmp } }),
    ]);
    for (const v of variants) assert.ok(v && v !== k0);
    assert.equal(new Set(variants).size, variants.length);
    // An inherited unrelated variable does not matter (one the gatherer sets is an override: it does).
    assert.equal(await k([go, 'version'], { env: { ...base.env, EDITOR: 'vi' }, baseEnv: { ...base.baseEnv, EDITOR: 'vi' } }), k0);
    assert.equal(await k(['go', 'version']), undefined, 'a bare name is resolved by spawn: not cached');
    assert.equal(await k([path.join(d, 'missing'), 'version']), undefined);
    assert.equal(await k([go, 'build']), undefined);
  });

  test('a golang.org/dl wrapper is keyed on the SDK it runs (gotip download)', async () => {
    const d = dir('dl');
    const gotip = binary(path.join(d, 'bin', 'gotip'));
    const sdkGo = binary(path.join(d, 'sdk', 'gotip', 'bin', 'go'));
    const opts: RunOptions = { cwd: d, env: { HOME: d, PATH: path.dirname(gotip) }, timeoutMs: 5000 };
    const before = await probeKey('go', [gotip, 'version'], opts, 'linux');
    touch(sdkGo);
    assert.notEqual(await probeKey('go', [gotip, 'version'], opts, 'linux'), before);
  });

  test('identical runs in flight share one process', async () => {
    const d = dir('inflight');
    const go = binary(path.join(d, 'go'));
    let calls = 0;
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const slow: Exec = async (argv, opts) => {
      calls++;
      await gate;
      return { argv, envOverrides: {}, stdout: 'go version go1.22.12 linux/amd64\n', stderr: '', exitCode: 0, timedOut: false, timeoutMs: opts.timeoutMs, truncated: false, durationMs: 1 };
    };
    const exec = withProbeCache(slow, new MemoryProbeCache(), 'go', 'linux');
    const opts: RunOptions = { cwd: d, env: { PATH: d }, timeoutMs: 5000 };
    const both = Promise.all([exec([go, 'version'], opts), exec([go, 'version'], opts)]);
    await new Promise((r) => setTimeout(r, 50));
    release();
    const [a, b] = await both;
    assert.equal(calls, 1);
    assert.equal(a.stdout, b.stdout);
    assert.equal([a.cached, b.cached].filter(Boolean).length, 1);
  });

  test('a binary that changes while it runs is not stored', async () => {
    const d = dir('midrun');
    const go = binary(path.join(d, 'go'));
    let calls = 0;
    const run: Exec = async (argv, opts) => {
      calls++;
      if (calls === 1) touch(go); // replaced while running
      return { argv, envOverrides: {}, stdout: 'x', stderr: '', exitCode: 0, timedOut: false, timeoutMs: opts.timeoutMs, truncated: false, durationMs: 1 };
    };
    const cache = new MemoryProbeCache();
    const opts: RunOptions = { cwd: d, env: { PATH: d }, timeoutMs: 5000 };
    // One wrapper per gather, as gatherSnapshot makes them.
    for (let i = 0; i < 3; i++) await withProbeCache(run, cache, 'go', 'linux')([go, 'version'], opts);
    assert.equal(calls, 2, 'the first run was not stored; the second was');
  });

  test('MemoryProbeCache is a bounded LRU of copies', async () => {
    const c = new MemoryProbeCache(2);
    const run = (s: string): CommandRun => ({ argv: ['x'], envOverrides: {}, stdout: s, stderr: '', exitCode: 0, timedOut: false, timeoutMs: 1, truncated: false, durationMs: 1 });
    await c.set('a', run('a'));
    await c.set('b', run('b'));
    (await c.get('a'))!.stdout = 'mutated';
    await c.set('c', run('c'));
    assert.equal(c.size, 2);
    assert.equal((await c.get('a'))?.stdout, 'a', 'copies; a was used last so b went');
    assert.equal(await c.get('b'), undefined);
  });
});

describe('probe cache: on disk (headless CLI)', () => {
  test('a new process (a new DiskProbeCache) reuses the runs; files are whole and owner-only', async () => {
    const s = setup('disk');
    const root = path.join(s.root, 'cache');
    const calls: Call[] = [];
    await gather(s, new DiskProbeCache(root), calls);
    assert.deepEqual(names(calls, s), ALL);
    const files = fs.readdirSync(path.join(root, 'probes'));
    // Ours, plus `go version` of the Go installs in well-known directories of this machine.
    assert.equal(files.length, probeCalls(calls).length);
    assert.ok(files.every((f) => /^[0-9a-f]{64}\.json$/.test(f)), `no temp files left: ${files.join(', ')}`);
    if (process.platform !== 'win32') {
      for (const f of files) assert.equal(fs.statSync(path.join(root, 'probes', f)).mode & 0o077, 0);
    }
    assert.deepEqual(await ran(s, new DiskProbeCache(root)), []);
    touch(s.dlv);
    assert.deepEqual(await ran(s, new DiskProbeCache(root)), ['dlv', 'go version -m']);
  });

  test('corrupt, truncated, foreign and unreadable entries are misses, then rewritten', async () => {
    const s = setup('corrupt');
    const root = path.join(s.root, 'cache');
    await ran(s, new DiskProbeCache(root));
    const dirp = path.join(root, 'probes');
    const files = fs.readdirSync(dirp).sort();
    const [a, b, c, d] = files.map((f) => path.join(dirp, f));
    fs.writeFileSync(a, '{"format":1,"key":"'); // truncated
    const other = JSON.parse(fs.readFileSync(b, 'utf8'));
    fs.writeFileSync(b, JSON.stringify({ ...other, key: '0'.repeat(64) })); // someone else's entry
    fs.writeFileSync(c, JSON.stringify({ ...JSON.parse(fs.readFileSync(c, 'utf8')), format: 999 })); // another format
    fs.rmSync(d);
    fs.mkdirSync(d); // unreadable as a file
    const again: Call[] = [];
    await gather(s, new DiskProbeCache(root), again);
    assert.equal(probeCalls(again).length, 4, `four entries were unusable: ${again.map((c) => c.argv.join(' ')).join(', ')}`);
    for (const f of [a, b, c]) assert.equal(JSON.parse(fs.readFileSync(f, 'utf8')).format, 1, 'rewritten');
    const third: Call[] = [];
    await gather(s, new DiskProbeCache(root), third);
    assert.equal(probeCalls(third).length, 1, 'only the directory-shaped entry stays unusable');
  });

  test('an unwritable cache directory is ignored: the diagnosis still works', async () => {
    const s = setup('unwritable');
    const notADir = path.join(s.root, 'file');
    fs.writeFileSync(notADir, '');
    const cache = new DiskProbeCache(notADir);
    assert.deepEqual(await ran(s, cache), ALL);
    // The in-memory layer still answers within the process.
    assert.deepEqual(await ran(s, cache), []);
  });

  test('the directory stays bounded: the oldest entries go', async () => {
    const root = dir('prune');
    const probes = path.join(root, 'probes');
    fs.mkdirSync(probes, { recursive: true });
    const old = new Date(Date.now() - 86400e3);
    for (let i = 0; i < DiskProbeCache.MAX_FILES + 10; i++) {
      const f = path.join(probes, `${i.toString(16).padStart(64, '0')}.json`);
      fs.writeFileSync(f, '{}');
      fs.utimesSync(f, old, old);
    }
    const run: CommandRun = { argv: ['x'], envOverrides: {}, stdout: 's', stderr: '', exitCode: 0, timedOut: false, timeoutMs: 1, truncated: false, durationMs: 1 };
    const key = 'f'.repeat(64);
    await new DiskProbeCache(root).set(key, run);
    const left = fs.readdirSync(probes);
    assert.ok(left.length <= DiskProbeCache.MAX_FILES / 2 + 1, `${left.length} files left`);
    assert.ok(left.includes(`${key}.json`), 'the new entry stays');
    assert.equal((await new DiskProbeCache(root).get(key))?.stdout, 's');
    assert.equal(await new DiskProbeCache(root).get('../../etc/passwd'), undefined, 'only hex keys become file names');
  });

  test('default directory: XDG_CACHE_HOME, else the OS cache dir', () => {
    assert.equal(defaultCacheDir({ XDG_CACHE_HOME: '/x/cache', HOME: '/h' }, 'linux'), '/x/cache/go-setup-doctor');
    assert.equal(defaultCacheDir({ XDG_CACHE_HOME: 'relative', HOME: '/h' }, 'linux'), '/h/.cache/go-setup-doctor');
    assert.equal(defaultCacheDir({ HOME: '/Users/g' }, 'darwin'), '/Users/g/Library/Caches/go-setup-doctor');
    assert.equal(defaultCacheDir({ LOCALAPPDATA: 'C:\\Users\\g\\AppData\\Local' }, 'win32'), 'C:\\Users\\g\\AppData\\Local\\go-setup-doctor\\Cache');
    assert.equal(defaultCacheDir({}, 'linux'), undefined);
  });

  test('CLI flags: --cache-dir DIR, --no-cache', () => {
    const r = parseArgs(['.', '--cache-dir', '/tmp/c', '--no-cache']);
    assert.ok(r.ok);
    assert.equal(r.args.cacheDir, '/tmp/c');
    assert.equal(r.args.noCache, true);
    assert.deepEqual(parseArgs(['--cache-dir']), { ok: false, error: '--cache-dir needs a directory' });
  });
});

describe('probe cache: the headless CLI with a real go', { skip: skipScenarios }, () => {
  test('the second run reads the disk cache; --no-cache runs everything and writes nothing', async () => {
    const d = dir('cli');
    const home = path.join(d, 'home');
    const folder = path.join(d, 'proj');
    fs.mkdirSync(home, { recursive: true });
    fs.mkdirSync(folder, { recursive: true });
    fs.writeFileSync(path.join(folder, 'go.mod'), 'module example.com/p\n\ngo 1.22\n');
    const go = goInstall('1.24');
    const env = { HOME: home, PATH: [path.dirname(go.bin), '/usr/bin', '/bin'].join(':'), XDG_CACHE_HOME: path.join(d, 'xdg') };
    const cli = async (extra: string[]) => {
      const out = path.join(d, `snap-${n++}.json`);
      let stdout = '';
      const code = await main([folder, '--json', '--snapshot-out', out, ...extra], { stdout: (s) => (stdout += s), stderr: () => {}, isTTY: false, env, cwd: d });
      assert.ok(code === 0 || code === 1, stdout);
      return JSON.parse(fs.readFileSync(out, 'utf8')) as Snapshot;
    };
    const first = await cli([]);
    assert.equal(first.go?.env?.exitCode, 0);
    assert.equal(first.go?.env?.cached, undefined);
    const cacheFiles = fs.readdirSync(path.join(d, 'xdg', 'go-setup-doctor', 'probes'));
    assert.ok(cacheFiles.length >= 2, 'go version and go env -json were stored under $XDG_CACHE_HOME');
    const second = await cli([]);
    assert.equal(second.go?.env?.cached, true);
    assert.equal(second.go?.env?.stdout, first.go?.env?.stdout);
    const none = await cli(['--no-cache', '--cache-dir', path.join(d, 'unused')]);
    assert.equal(none.go?.env?.cached, undefined);
    assert.ok(!fs.existsSync(path.join(d, 'unused')));
    // A real process run through the cache wrapper: the go binary really ran once.
    const counted: string[][] = [];
    const exec = withProbeCache((argv, o) => (counted.push(argv), runCommand(argv, o)), new MemoryProbeCache(), 'go');
    const opts: RunOptions = { cwd: folder, env, timeoutMs: 10000 };
    const r1 = await exec([go.bin, 'version'], opts);
    const r2 = await exec([go.bin, 'version'], opts);
    assert.equal(counted.length, 1);
    assert.equal(r2.stdout, r1.stdout);
    assert.equal(r2.cached, true);
    assert.match(r1.stdout, /^go version go1\.24/);
  });
});
