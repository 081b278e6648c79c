// Platform and language-server rules on real Linux facts of this machine:
// - GSD505: a tmpfs mounted `noexec` (and one mounted read-only) in a private mount namespace
//   (`unshare -m`), with the real go failing there, the headless CLI diagnosing it, the fix it
//   offers applied, and go working afterwards;
// - GSD604/GSD407: a user namespace with a low `user.max_inotify_watches` (`unshare -U -r`), proven real by
//   fs.watch failing with ENOSPC at the limit;
// - GSD609: the CLI under `prlimit --nofile`, with the real gopls (built with Go >= 1.19);
// - GSD801/802/803: a real `gopls serve` started from a copy of the manifest's gopls and left
//   idle, seen in /proc; then its binary replaced on disk (`(deleted)`), then killed.
// Every process started here is killed, and the process table is checked.
import { strict as assert } from 'node:assert';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, describe, test } from 'node:test';
import type { Finding } from '../../extension/src/engine/generated/Finding';
import type { Report } from '../../extension/src/engine/generated/Report';
import type { Snapshot } from '../../extension/src/engine/generated/Snapshot';
import type { VsCode } from '../../extension/src/engine/generated/VsCode';
import { hasProcfs, processesMatching, waitForNoProcesses } from '../helpers/proc';
import { explain, findingsOf, Scenario, scenarioFactory } from '../helpers/scenario';
import * as tc from '../helpers/toolchains';

const CLI = path.join(tc.ROOT, 'dist', 'cli.js');

function works(argv: string[]): boolean {
  const r = spawnSync(argv[0], argv.slice(1), { encoding: 'utf8', timeout: 10000 });
  return r.status === 0;
}
const isRoot = process.getuid?.() === 0;
const canUnshareMount = isRoot && hasProcfs && works(['unshare', '-m', '--propagation', 'private', 'true']);
const canUnshareUser = hasProcfs && works(['unshare', '-U', '-r', 'true']);
const canPrlimit = hasProcfs && works(['prlimit', '--nofile=256:256', 'true']);
const cliMissing = !fs.existsSync(CLI) && `${CLI} is missing: run npm run build`;
const linux = process.platform === 'linux' ? false : 'Linux only';

const children: ChildProcess[] = [];
// Registered first, so it runs before the scenarios' directories are removed.
after(() => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
});
const scenario = scenarioFactory();

/** A module with a passing test: `go test` must build and run a test binary. */
function testModule(s: Scenario, rel: string): string {
  return s.module(rel, '1.22', { 'app_test.go': 'package main\n\nimport "testing"\n\nfunc TestOK(t *testing.T) {}\n' });
}

function goEnv(s: Scenario, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return s.env([path.dirname(tc.go('1.24').bin), '/usr/bin', '/bin'], { GOTOOLCHAIN: 'local', GOPROXY: 'off', GOFLAGS: '-mod=mod', ...extra });
}

function readJson<T>(p: string): T {
  return JSON.parse(fs.readFileSync(p, 'utf8')) as T;
}

/** Run a shell script (inside `prefix`, e.g. unshare), failing the test with its output if it fails. */
function sh(prefix: string[], script: string, env: NodeJS.ProcessEnv): { stdout: string; stderr: string } {
  const r = spawnSync(prefix[0], [...prefix.slice(1), 'sh', '-c', script], { env, encoding: 'utf8', timeout: 120000 });
  assert.equal(r.status, 0, `script failed (${r.status} ${r.signal}):\n${r.stdout}\n${r.stderr}`);
  return { stdout: r.stdout, stderr: r.stderr };
}

const FIX_OF = (code: string) =>
  `const r=JSON.parse(require('fs').readFileSync(process.argv[1],'utf8'));` +
  `const f=r.findings.find((f)=>f.code==='${code}');` +
  `process.stdout.write(f?f.fixes[0].actions[0].command:'')`;

describe('GSD505 cache-not-writable on real mounts (private mount namespace)', {
  skip: tc.skipScenarios || linux || cliMissing || (!canUnshareMount && 'needs root and `unshare -m`'),
}, () => {
  test('TMPDIR on a noexec tmpfs: go test fails for real, GSD505 says why, its fix makes go test pass', () => {
    const s = scenario('gsd505-noexec');
    const mod = testModule(s, 'src/app');
    const noexec = s.folder('noexec');
    const out = s.folder('out');
    const env = goEnv(s, { TMPDIR: noexec, GOCACHE: s.path('cache') });
    const go = tc.go('1.24').bin;
    sh(['unshare', '-m', '--propagation', 'private'], `
      set -e
      mount -t tmpfs -o noexec,nosuid,nodev,size=64m tmpfs '${noexec}'
      grep ' ${noexec} ' /proc/self/mountinfo > '${out}/mountinfo.txt'
      cd '${mod}'
      '${go}' test ./... > '${out}/gotest-before.txt' 2>&1 || echo "exit $?" >> '${out}/gotest-before.txt'
      '${process.execPath}' '${CLI}' '${mod}' --json --no-cache --snapshot-out '${out}/snap-before.json' > '${out}/report-before.json' || true
      '${process.execPath}' -e "${FIX_OF('GSD505')}" '${out}/report-before.json' > '${out}/fix.sh'
      sh '${out}/fix.sh'
      '${go}' test ./... > '${out}/gotest-after.txt' 2>&1 || echo "exit $?" >> '${out}/gotest-after.txt'
      '${process.execPath}' '${CLI}' '${mod}' --json --no-cache --snapshot-out '${out}/snap-after.json' > '${out}/report-after.json' || true
    `, env);
    const mountLine = fs.readFileSync(path.join(out, 'mountinfo.txt'), 'utf8').trim();
    assert.match(mountLine, / rw,nosuid,nodev,noexec,relatime - tmpfs tmpfs /);
    // The real failure.
    const before = fs.readFileSync(path.join(out, 'gotest-before.txt'), 'utf8');
    assert.match(before, new RegExp(`fork/exec ${noexec}/go-build\\d+/b001/app\\.test: permission denied`), before);
    // The diagnosis, from the namespace's own /proc/self/mountinfo.
    const snap = readJson<Snapshot>(path.join(out, 'snap-before.json'));
    assert.ok(snap.host.mountinfo?.includes(mountLine), JSON.stringify(snap.host.mountinfo));
    const report = readJson<Report>(path.join(out, 'report-before.json'));
    const f = findingsOf(report, 'GSD505');
    assert.equal(f.length, 1, explain(report));
    assert.equal(f[0].severity, 'error');
    assert.ok(f[0].message.includes(`${noexec} (TMPDIR), which is on a noexec mount (tmpfs on ${noexec}, type tmpfs)`), f[0].message);
    assert.ok(f[0].evidence.includes(`/proc/self/mountinfo: ${mountLine}`), f[0].evidence.join('\n'));
    const fix = fs.readFileSync(path.join(out, 'fix.sh'), 'utf8');
    assert.equal(fix, `mkdir -p "$HOME/.cache/go-tmp" && ${go} env -w GOTMPDIR="$HOME/.cache/go-tmp"`);
    // The fix, applied: go test works and the error is gone; TMPDIR itself is still noexec, which
    // only the debugger's __debug_bin now runs into: a warning remains.
    const afterTest = fs.readFileSync(path.join(out, 'gotest-after.txt'), 'utf8');
    assert.match(afterTest, /^ok\s+example\.com\/app/m, afterTest);
    const left = findingsOf(readJson<Report>(path.join(out, 'report-after.json')), 'GSD505');
    assert.deepEqual(left.map((x) => [x.severity, x.title]), [['warning', 'The debugger cannot run what it builds in TMPDIR']]);
    assert.match(fs.readFileSync(path.join(s.home, '.config/go/env'), 'utf8'), /^GOTMPDIR=.*\.cache\/go-tmp$/m);
  });

  test('GOCACHE on a read-only mount: go build fails for real, GSD505 names the cache', () => {
    const s = scenario('gsd505-rofs');
    const mod = testModule(s, 'src/app');
    const ro = s.folder('ro');
    const out = s.folder('out');
    const env = goEnv(s, { GOCACHE: path.join(ro, 'go-build') });
    const go = tc.go('1.24').bin;
    sh(['unshare', '-m', '--propagation', 'private'], `
      set -e
      mount -t tmpfs -o ro,size=1m tmpfs '${ro}'
      cd '${mod}'
      '${go}' build ./... > '${out}/gobuild.txt' 2>&1 || echo "exit $?" >> '${out}/gobuild.txt'
      '${process.execPath}' '${CLI}' '${mod}' --json --no-cache > '${out}/report.json' || true
    `, env);
    const build = fs.readFileSync(path.join(out, 'gobuild.txt'), 'utf8');
    assert.match(build, new RegExp(`failed to initialize build cache at ${ro}/go-build: mkdir ${ro}/go-build: read-only file system`), build);
    const f = findingsOf(readJson<Report>(path.join(out, 'report.json')), 'GSD505');
    assert.equal(f.length, 1, JSON.stringify(f));
    assert.equal(f[0].title, 'The Go build cache cannot be written');
    assert.ok(f[0].message.includes('EROFS: read-only file system'), f[0].message);
    assert.ok(f[0].fixes.some((x) => x.actions.some((a) => a.kind === 'runShell' && a.command.endsWith('env -w GOCACHE="$HOME/.cache/go-build"'))));
  });

  test('passes outside the namespace: the same setup on the normal /tmp', async () => {
    const s = scenario('gsd505-ok');
    const mod = testModule(s, 'src/app');
    const d = await s.diagnose({ target: mod, env: goEnv(s, { GOCACHE: s.path('cache') }) });
    assert.deepEqual(findingsOf(d.report, 'GSD505'), [], explain(d));
    assert.ok((d.snapshot.host.dirAccess ?? []).every((x) => x.writable), JSON.stringify(d.snapshot.host.dirAccess));
  });
});

describe('GSD604 inotify-limit-low / GSD407 too-many-files-for-watchers in a user namespace with a low watch limit', {
  skip: tc.skipScenarios || linux || cliMissing || (!canUnshareUser && 'needs `unshare -U -r`'),
}, () => {
  test('user.max_inotify_watches = 500: fs.watch really fails at 500, the CLI reports the limit', () => {
    const s = scenario('gsd604');
    const mod = s.module('src/mono');
    for (let i = 0; i < 600; i++) fs.mkdirSync(path.join(mod, 'pkg', `p${i}`), { recursive: true });
    const out = s.folder('out');
    const watch =
      `const fs=require('fs');let n=0;` +
      `for(const d of fs.readdirSync(process.argv[1])){try{fs.watch(process.argv[1]+'/'+d);n++}catch(e){console.log(n+' '+e.message);process.exit(0)}}` +
      `console.log(n+' no error');process.exit(0)`;
    sh(['unshare', '-U', '-r'], `
      set -e
      echo 500 > /proc/sys/user/max_inotify_watches
      '${process.execPath}' -e "${watch}" '${path.join(mod, 'pkg')}' > '${out}/watch.txt'
      '${process.execPath}' '${CLI}' '${mod}' --json --no-cache --snapshot-out '${out}/snap.json' > '${out}/report.json' || true
    `, goEnv(s));
    // The limit is real: the 501st watch fails with the message VS Code users see.
    const watched = fs.readFileSync(path.join(out, 'watch.txt'), 'utf8').trim();
    assert.ok(watched.startsWith(`500 ENOSPC: System limit for number of file watchers reached, watch '${path.join(mod, 'pkg')}/p`), watched);
    const snap = readJson<Snapshot>(path.join(out, 'snap.json'));
    assert.equal(snap.host.usernsMaxInotifyWatches, '500\n');
    assert.equal(snap.workspace.folders[0].dirsVisited, 601);
    // 601 directories against a limit of 500: the workspace alone exceeds it, which is GSD407's
    // (GSD604 covers a workspace that needs more than half of the limit, but less than all).
    const report = readJson<Report>(path.join(out, 'report.json'));
    assert.deepEqual(findingsOf(report, 'GSD604'), []);
    const f = findingsOf(report, 'GSD407');
    assert.equal(f.length, 1, JSON.stringify(report.findings));
    assert.ok(f[0].message.startsWith('This workspace has 601 watched directories, and user.max_inotify_watches (this user namespace) is 500'), f[0].message);
    assert.ok(f[0].evidence.includes('/proc/sys/user/max_inotify_watches: 500'));
  });

  test('passes with the machine limit', async () => {
    const s = scenario('gsd604-ok');
    const mod = s.module('src/mono');
    for (let i = 0; i < 600; i++) fs.mkdirSync(path.join(mod, 'pkg', `p${i}`), { recursive: true });
    const d = await s.diagnose({ target: mod, env: goEnv(s) });
    const limit = Number(d.snapshot.host.inotifyMaxUserWatches);
    assert.ok(limit > 1202, `this machine's limit ${limit} is too low for the passing case`);
    assert.deepEqual(findingsOf(d.report, 'GSD604'), [], explain(d));
    assert.deepEqual(findingsOf(d.report, 'GSD407'), [], explain(d));
  });
});

describe('GSD609 open-files-limit-low under prlimit', {
  skip: tc.skipScenarios || linux || cliMissing || (!canPrlimit && 'needs prlimit'),
}, () => {
  function setup(s: Scenario) {
    const mod = s.module('src/app');
    for (let i = 0; i < 300; i++) s.write(path.join(mod, 'data', `f${i}.txt`), 'x');
    // The manifest's gopls v0.16.1 (built with go1.22.6: it raises its soft limit to the hard one).
    s.link('bin/gopls', tc.gopls('v0.16.1').path);
    return { mod, env: goEnv(s, { PATH: [s.path('bin'), path.dirname(tc.go('1.24').bin), '/usr/bin', '/bin'].join(':') }) };
  }

  test('nofile 256:256: the hard limit counts for a gopls built with go1.22, and it is too low', () => {
    const s = scenario('gsd609');
    const { mod, env } = setup(s);
    const r = spawnSync('prlimit', ['--nofile=256:256', process.execPath, CLI, mod, '--json', '--no-cache'], { env, encoding: 'utf8', timeout: 60000 });
    const report = JSON.parse(r.stdout) as Report;
    const f = findingsOf(report, 'GSD609');
    assert.equal(f.length, 1, explain(report));
    assert.ok(f[0].message.includes('gopls was built with go1.22.6, which raises its soft limit to the hard limit, so the hard limit 256 is what it gets'), f[0].message);
    assert.ok(f[0].evidence.includes('/proc/self/limits: Max open files 256 256 files'), f[0].evidence.join('\n'));
  });

  test("passes with soft 1024 and this machine's hard limit", () => {
    const s = scenario('gsd609-ok');
    const { mod, env } = setup(s);
    const hard = fs.readFileSync('/proc/self/limits', 'utf8').match(/^Max open files\s+\S+\s+(\S+)/m)?.[1] ?? 'unlimited';
    assert.ok(hard === 'unlimited' || Number(hard) >= 1024, `this machine's hard limit ${hard}`);
    const r = spawnSync('prlimit', [`--nofile=1024:${hard}`, process.execPath, CLI, mod, '--json', '--no-cache'], { env, encoding: 'utf8', timeout: 60000 });
    assert.equal(r.status === 0 || r.status === 1, true, r.stderr);
    assert.deepEqual(findingsOf(JSON.parse(r.stdout) as Report, 'GSD609'), []);
  });
});

describe('GSD801/802/803 with a real gopls process', {
  skip: tc.skipScenarios || linux || (!hasProcfs && 'needs /proc'),
}, () => {
  const vscode: VsCode = { version: '1.99.0', trusted: true, extensions: [{ id: 'golang.go', version: '0.46.1', active: true }] };

  test('an idle gopls started by this process; its binary replaced; then stopped', async () => {
    const s = scenario('gsd80x');
    const mod = s.module('src/app', '1.22');
    const src = tc.gopls('v0.16.1').path;
    const bin = path.join(s.path('gopls-bin'), 'gopls');
    fs.mkdirSync(path.dirname(bin), { recursive: true });
    fs.copyFileSync(src, bin);
    fs.chmodSync(bin, 0o755);
    const env = goEnv(s, { PATH: [path.dirname(bin), path.dirname(tc.go('1.24').bin), '/usr/bin', '/bin'].join(':') });
    // `gopls serve` on stdio, stdin kept open: it waits for an LSP client.
    const child = spawn(bin, ['serve'], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    children.push(child);
    const pid = child.pid as number;
    try {
      // Wait until the kernel shows it running from the copied binary.
      for (let i = 0; i < 100; i++) {
        try {
          if (fs.readlinkSync(`/proc/${pid}/exe`) === bin && /VmRSS:/.test(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))) break;
        } catch {
          /* not yet */
        }
        await new Promise((r) => setTimeout(r, 50));
      }
      const diagnose = () => s.diagnose({ target: mod, env, gather: { vscode, origin: 'vscode', cache: null } });

      // 1. Running, current: seen with its ancestry, memory and times; 801/802/803 quiet.
      let d = await diagnose();
      const p = d.snapshot.processes?.find((x) => x.pid === pid);
      assert.ok(p, JSON.stringify(d.snapshot.processes));
      assert.equal(p.exe, bin);
      assert.equal(p.ppid, process.pid);
      assert.ok(p.ancestors.includes(process.pid));
      assert.deepEqual(p.cmdline, [bin, 'serve']);
      assert.ok((p.rssKib ?? 0) > 1000 && (p.rssKib ?? 0) < 4 * 1024 * 1024, `rss ${p.rssKib}`);
      assert.ok(Math.abs((p.startTimeMs ?? 0) - Date.now()) < 120_000, `start ${p.startTimeMs}`);
      assert.ok((p.exeMtimeMs ?? Infinity) <= (p.startTimeMs ?? 0) + 1000);
      const mine = (found: Finding[]) => found.filter((f) => f.message.includes(`pid ${pid}`) || f.evidence.some((e) => e.includes(`/proc/${pid}/`)));
      assert.deepEqual(mine(findingsOf(d.report, 'GSD803')), [], explain(d));
      assert.deepEqual(findingsOf(d.report, 'GSD801'), [], explain(d));
      assert.deepEqual(mine(findingsOf(d.report, 'GSD802')), []);

      // 2. The binary replaced on disk, as `go install` does (new file at the same path).
      await new Promise((r) => setTimeout(r, 1100));
      fs.rmSync(bin);
      fs.copyFileSync(src, bin);
      fs.chmodSync(bin, 0o755);
      assert.equal(fs.readlinkSync(`/proc/${pid}/exe`), `${bin} (deleted)`);
      d = await diagnose();
      const stale = mine(findingsOf(d.report, 'GSD803'));
      assert.equal(stale.length, 1, explain(d));
      assert.equal(stale[0].severity, 'info');
      assert.ok(stale[0].message.includes(`gopls (pid ${pid}, started by this window) still runs the binary it was started from, but the file at ${bin} has been replaced since it started`), stale[0].message);
      assert.ok(stale[0].message.includes('(now installed: gopls v0.16.1)'), stale[0].message);
      assert.ok(stale[0].evidence.includes(`/proc/${pid}/exe -> ${bin} (deleted)`));
      assert.deepEqual(stale[0].fixes[0].actions, [{ kind: 'runVsCodeCommand', command: 'go.languageserver.restart', args: [] }]);
    } finally {
      child.kill('SIGTERM');
      await new Promise((r) => {
        if (child.exitCode !== null || child.signalCode !== null) r(undefined);
        else child.once('exit', r);
        setTimeout(() => {
          child.kill('SIGKILL');
          r(undefined);
        }, 3000);
      });
    }
    assert.deepEqual(await waitForNoProcesses(bin), [], 'gopls left running');
    assert.deepEqual(processesMatching(bin), []);

    // 3. Stopped: the Go extension is active, Go files are there, no gopls runs for this window.
    const d = await s.diagnose({ target: mod, env, gather: { vscode, origin: 'vscode', cache: null } });
    assert.ok(!d.snapshot.processes?.some((x) => x.pid === pid));
    const f = findingsOf(d.report, 'GSD801');
    assert.equal(f.length, 1, explain(d));
    assert.ok(f[0].message.includes('The Go extension (golang.go 0.46.1) is active and the language server is enabled, but no gopls process started by this VS Code window is running'));
    assert.ok(f[0].evidence.includes(`extension host pid ${process.pid}: no gopls process among its descendants`));
    // Headless (no VS Code facts): nothing to say.
    const headless = await s.diagnose({ target: mod, env, gather: { cache: null } });
    assert.deepEqual(findingsOf(headless.report, 'GSD801'), []);
  });
});
