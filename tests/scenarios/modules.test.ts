// Workspace and module rules on real modules and real toolchains: GSD405 vendor-mismatch,
// GSD407 too-many-files-for-watchers (in a user namespace with a low watch limit), GSD408
// ancestor-module, GSD404 gopath-mode, GSD409 module-graph-out-of-sync (go.sum case from a
// file:// GOPROXY built here with zip), GSD410 wasm-target-imports (with the real gopls v0.16.1).
// Modules depend on each other through local `replace` directives, so nothing needs the network
// (GOPROXY=off, GOTOOLCHAIN=local throughout).
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import type { Report } from '../../extension/src/engine/generated/Report';
import { applyTextEdits } from '../../extension/src/headless/fix';
import { applyEditFix, explain, findingsOf, Scenario, scenarioFactory } from '../helpers/scenario';
import * as tc from '../helpers/toolchains';

const skip = tc.skipScenarios;
const scenario = scenarioFactory();
/** The probes' timeout here: the machine is shared, and a cold `go env` can take seconds. */
const LOADED_MACHINE_TIMEOUT_MS = 30000;

function goEnv(s: Scenario, minor: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return s.env([tc.binDir(minor), '/usr/bin', '/bin'], { GOTOOLCHAIN: 'local', GOPROXY: 'off', ...extra });
}

/** Run the real go; returns exit status and stdout+stderr. */
function go(minor: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): { status: number | null; out: string } {
  const r = spawnSync(tc.go(minor).bin, args, { cwd, env, encoding: 'utf8', timeout: 120000 });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

/**
 * app requires dep and other; dep requires other v1.1.0; both replaced by local directories.
 * Returns the app folder.
 */
function replacedModules(s: Scenario): string {
  s.folder('other', { 'go.mod': 'module example.com/other\n\ngo 1.21\n', 'o.go': 'package other\n\nfunc O() {}\n' });
  s.folder('dep', {
    'go.mod': 'module example.com/dep\n\ngo 1.21\n\nrequire example.com/other v1.1.0\n',
    'd.go': 'package dep\n\nimport "example.com/other"\n\nfunc D() { other.O() }\n',
  });
  return s.folder('app', {
    'go.mod':
      'module example.com/app\n\ngo 1.21\n\nrequire (\n\texample.com/dep v1.0.0\n\texample.com/other v1.1.0\n)\n\nreplace example.com/dep => ../dep\n\nreplace example.com/other => ../other\n',
    'main.go': 'package main\n\nimport "example.com/dep"\n\nfunc main() { dep.D() }\n',
  });
}

describe('GSD405 vendor-mismatch', { skip, concurrency: true }, () => {
  for (const minor of ['1.22', '1.24']) {
    test(`go${minor}: go.mod bumped after go mod vendor; fixed by a real go mod vendor`, async () => {
      const s = scenario(`gsd405-${minor}`);
      const app = replacedModules(s);
      const env = goEnv(s, minor);
      const vendor = go(minor, ['mod', 'vendor'], app, env);
      assert.equal(vendor.status, 0, vendor.out);
      // Healthy twin first: freshly vendored, no finding.
      const ok = await s.diagnose({ timeoutMs: LOADED_MACHINE_TIMEOUT_MS, target: app, env });
      assert.equal(ok.snapshot.workspace.folders[0].vendorDir, true);
      assert.ok(ok.snapshot.workspace.folders[0].vendorModulesTxt?.text.includes('# example.com/other v1.1.0 => ../other\n## explicit; go 1.21\n'));
      assert.deepEqual(findingsOf(ok.report, 'GSD405'), [], explain(ok));

      // The user bumps a requirement and forgets to re-vendor: the real go build refuses.
      const goMod = path.join(app, 'go.mod');
      fs.writeFileSync(goMod, fs.readFileSync(goMod, 'utf8').replace('example.com/other v1.1.0', 'example.com/other v1.2.0'));
      const build = go(minor, ['build', '-o', os_devnull(), '.'], app, env);
      assert.equal(build.status, 1);
      const realLines = [
        `go: inconsistent vendoring in ${app}:`,
        '\texample.com/other@v1.2.0: is explicitly required in go.mod, but not marked as explicit in vendor/modules.txt',
        '\texample.com/other@v1.1.0: is marked as explicit in vendor/modules.txt, but not explicitly required in go.mod',
        '\tTo ignore the vendor directory, use -mod=readonly or -mod=mod.',
        '\t\tgo mod vendor',
      ];
      for (const l of realLines) assert.ok(build.out.includes(l), `${l}\n--- go build said:\n${build.out}`);

      const d = await s.diagnose({ timeoutMs: LOADED_MACHINE_TIMEOUT_MS, target: app, env });
      const [f] = findingsOf(d.report, 'GSD405');
      assert.ok(f, explain(d));
      assert.equal(f.severity, 'warning');
      assert.ok(f.message.includes(`"go: inconsistent vendoring in ${app}:"`), f.message);
      // The engine names the same entries, in the same words, as the real go build.
      for (const l of realLines.slice(1, 3)) assert.ok(f.evidence.includes(l.trim()), `${l}\n${f.evidence.join('\n')}`);
      assert.deepEqual(f.fixes[0].actions[0], { kind: 'runShell', command: `${tc.go(minor).bin} mod vendor`, cwd: app });

      // Apply the fix for real: the finding is gone and go agrees.
      const fix = go(minor, ['mod', 'vendor'], app, env);
      assert.equal(fix.status, 0, fix.out);
      assert.equal(go(minor, ['list', '-deps', '.'], app, env).status, 0);
      const after = await s.diagnose({ timeoutMs: LOADED_MACHINE_TIMEOUT_MS, target: app, env });
      assert.deepEqual(findingsOf(after.report, 'GSD405'), [], explain(after));
    });
  }

  test('GOFLAGS=-mod=vendor without a vendor directory: real go list fails, finding; removing it passes', async () => {
    const s = scenario('gsd405-novendor');
    const app = replacedModules(s);
    const env = goEnv(s, '1.24', { GOFLAGS: '-mod=vendor' });
    const list = go('1.24', ['list', '.'], app, env);
    assert.equal(list.status, 1);
    assert.ok(
      list.out.includes('\texample.com/dep@v1.0.0: is explicitly required in go.mod, but not marked as explicit in vendor/modules.txt'),
      list.out,
    );
    const d = await s.diagnose({ timeoutMs: LOADED_MACHINE_TIMEOUT_MS, target: app, env });
    assert.equal(d.snapshot.workspace.folders[0].vendorDir, false);
    const [f] = findingsOf(d.report, 'GSD405');
    assert.ok(f, explain(d));
    assert.equal(f.title, '-mod=vendor is set but the module has no vendor directory');
    assert.ok(f.evidence.includes('GOFLAGS=-mod=vendor (the environment VS Code was started with) sets -mod=vendor'), f.evidence.join('\n'));
    assert.ok(f.message.includes('but the module has no vendor/ directory, so nothing go.mod requires is vendored'), f.message);
    assert.ok(f.evidence.includes('example.com/dep: is replaced in go.mod, but not marked as replaced in vendor/modules.txt'), f.evidence.join('\n'));
    const healthy = await s.diagnose({ timeoutMs: LOADED_MACHINE_TIMEOUT_MS, target: app, env: goEnv(s, '1.24') });
    assert.deepEqual(findingsOf(healthy.report, 'GSD405'), [], explain(healthy));
  });
});

function os_devnull(): string {
  return process.platform === 'win32' ? 'NUL' : '/dev/null';
}

describe('GSD408 ancestor-module', { skip, concurrency: true }, () => {
  test('a stray ~/go.mod swallows ~/src/proj: real go env GOMOD and go build error; go mod init fixes it', async () => {
    const s = scenario('gsd408');
    s.write(path.join(s.home, 'go.mod'), 'module scratch\n\ngo 1.22\n');
    const proj = s.folder('home/src/proj', {
      'main.go': 'package main\n\nimport "proj/util"\n\nfunc main() { util.U() }\n',
      'util/u.go': 'package util\n\nfunc U() {}\n',
    });
    const env = goEnv(s, '1.22');
    assert.equal(go('1.22', ['env', 'GOMOD'], proj, env).out.trim(), path.join(s.home, 'go.mod'));
    const build = go('1.22', ['build', '-o', os_devnull(), '.'], proj, env);
    assert.equal(build.status, 1);
    assert.ok(build.out.includes(`main.go:3:8: package proj/util is not in std (${tc.go('1.22').goroot}/src/proj/util)`), build.out);

    const d = await s.diagnose({ timeoutMs: LOADED_MACHINE_TIMEOUT_MS, target: proj, env });
    assert.deepEqual(findingsOf(d.report, 'GSD401'), [], 'a go.mod was found, so no-module stays quiet');
    const [f] = findingsOf(d.report, 'GSD408');
    assert.ok(f, explain(d));
    assert.equal(f.severity, 'warning');
    assert.ok(f.message.startsWith(`~/src/proj has no go.mod of its own, so the go command and gopls use ~/go.mod (it is in your home directory)`), f.message);
    assert.ok(f.evidence.includes(`go env GOMOD (run in the folder): ${path.join(s.home, 'go.mod')}`), f.evidence.join('\n'));
    const init = f.fixes[1].actions[0];
    assert.deepEqual(init, { kind: 'runShell', command: `${tc.go('1.22').bin} mod init example.com/proj`, cwd: proj });

    // The healthy twin: the project as its own module (what `go mod init proj` makes).
    assert.equal(go('1.22', ['mod', 'init', 'proj'], proj, env).status, 0);
    assert.equal(go('1.22', ['build', '-o', os_devnull(), '.'], proj, env).status, 0);
    const after = await s.diagnose({ timeoutMs: LOADED_MACHINE_TIMEOUT_MS, target: proj, env });
    assert.deepEqual(findingsOf(after.report, 'GSD408'), [], explain(after));
  });

  test('a stray ~/go.work that does not list the module: real go build error; moving it away fixes it', async () => {
    const s = scenario('gsd408-work');
    s.write(path.join(s.home, 'old', 'go.mod'), 'module example.com/old\n\ngo 1.22\n');
    const goWork = s.write(path.join(s.home, 'go.work'), 'go 1.22\n\nuse ./old\n');
    const proj = s.module('home/src/proj', '1.22');
    const env = goEnv(s, '1.22');
    const build = go('1.22', ['build', '-o', os_devnull(), '.'], proj, env);
    assert.equal(build.status, 1);
    assert.ok(
      build.out.includes('current directory is contained in a module that is not one of the workspace modules listed in go.work. You can add the module to the workspace using:\n\tgo work use .'),
      build.out,
    );
    const d = await s.diagnose({ timeoutMs: LOADED_MACHINE_TIMEOUT_MS, target: proj, env });
    assert.equal(d.snapshot.workspace.folders[0].moduleCheck?.stdout, 'example.com/old\n');
    const [f] = findingsOf(d.report, 'GSD408');
    assert.ok(f, explain(d));
    assert.ok(f.message.startsWith('~/go.work (it is in your home directory) puts the go command and gopls into workspace mode for ~/src/proj, but the folder\'s module example.com/proj is not one of its modules'), f.message);
    assert.ok(f.evidence.includes(`go env GOWORK (run in the folder): ${goWork}`), f.evidence.join('\n'));
    assert.deepEqual(f.fixes[0].actions[0], { kind: 'runShell', command: `mv '${goWork}' '${goWork}.bak'` });
    fs.renameSync(goWork, `${goWork}.bak`);
    assert.equal(go('1.22', ['build', '-o', os_devnull(), '.'], proj, env).status, 0);
    const after = await s.diagnose({ timeoutMs: LOADED_MACHINE_TIMEOUT_MS, target: proj, env });
    assert.deepEqual(findingsOf(after.report, 'GSD408'), [], explain(after));
  });

  test('a repository opened at a subdirectory is not reported', async () => {
    const s = scenario('gsd408-ok');
    s.module('home/src/repo', '1.22');
    const sub = s.folder('home/src/repo/cmd/tool', { 'main.go': 'package main\n\nfunc main() {}\n' });
    const d = await s.diagnose({ timeoutMs: LOADED_MACHINE_TIMEOUT_MS, target: sub, env: goEnv(s, '1.22') });
    assert.equal(d.snapshot.workspace.folders[0].ancestorGoMod, s.path('home/src/repo/go.mod'));
    assert.deepEqual(findingsOf(d.report, 'GSD408'), [], explain(d));
  });
});

const CLI = path.join(tc.ROOT, 'dist', 'cli.js');
const canUnshareUser =
  process.platform === 'linux' && spawnSync('unshare', ['-U', '-r', 'true'], { timeout: 10000 }).status === 0;

describe('GSD407 too-many-files-for-watchers', {
  skip: skip || (!fs.existsSync(CLI) && `${CLI} is missing: run npm run build`) || (!canUnshareUser && 'needs `unshare -U -r`'),
}, () => {
  /** The CLI in a user namespace whose inotify limit is `limit`; returns its report. */
  function diagnoseWithLimit(s: Scenario, folder: string, limit: number, label: string): Report {
    const out = s.folder(`out-${label}`);
    const r = spawnSync(
      'unshare',
      ['-U', '-r', 'sh', '-c', `echo ${limit} > /proc/sys/user/max_inotify_watches && '${process.execPath}' '${CLI}' '${folder}' --json --no-cache > '${out}/report.json'; exit 0`],
      { env: goEnv(s, '1.24'), encoding: 'utf8', timeout: 120000 },
    );
    assert.equal(r.status, 0, r.stderr);
    return JSON.parse(fs.readFileSync(path.join(out, 'report.json'), 'utf8')) as Report;
  }

  test('700 directories (650 in third_party/) against a limit of 500; the watcherExclude edit, applied to the real settings file, clears it', () => {
    const s = scenario('gsd407');
    const mod = s.module('src/mono', '1.22');
    for (let i = 0; i < 650; i++) fs.mkdirSync(path.join(mod, 'third_party', `m${i}`), { recursive: true });
    for (let i = 0; i < 48; i++) fs.mkdirSync(path.join(mod, 'pkg', `p${i}`), { recursive: true });
    const settings = s.folderSettings(mod, '{\n  // team settings\n  "editor.formatOnSave": true\n}\n');

    const report = diagnoseWithLimit(s, mod, 500, 'broken');
    const [f] = findingsOf(report, 'GSD407');
    assert.ok(f, JSON.stringify(report.findings.map((x) => x.code)));
    assert.deepEqual(findingsOf(report, 'GSD604'), []);
    // 650 + third_party + 48 + pkg + .vscode = 701.
    assert.ok(f.message.startsWith('This workspace has 701 watched directories, and user.max_inotify_watches (this user namespace) is 500'), f.message);
    assert.ok(f.evidence.includes('largest: third_party/ 651, pkg/ 49, .vscode/ 1'), f.evidence.join('\n'));
    assert.equal(f.fixes[0].actions[0].kind, 'runShell');
    const exclude = f.fixes.find((x) => x.title.startsWith('Stop watching third_party/'));
    assert.ok(exclude, f.fixes.map((x) => x.title).join('\n'));
    assert.equal(exclude.actions[0].kind, 'editFile');
    const text = applyEditFix(exclude);
    assert.ok(text.includes('// team settings') && text.includes('"**/third_party/**": true'), text);

    const after = diagnoseWithLimit(s, mod, 500, 'fixed');
    assert.deepEqual(findingsOf(after, 'GSD407'), [], JSON.stringify(findingsOf(after, 'GSD407')));
  });

  test('healthy twin: the same workspace under a limit of 1000', () => {
    const s = scenario('gsd407-ok');
    const mod = s.module('src/mono', '1.22');
    for (let i = 0; i < 700; i++) fs.mkdirSync(path.join(mod, 'third_party', `m${i}`), { recursive: true });
    const report = diagnoseWithLimit(s, mod, 1000, 'ok');
    assert.deepEqual(findingsOf(report, 'GSD407'), []);
  });
});

describe('GSD404 gopath-mode', { skip, concurrency: true }, () => {
  for (const minor of ['1.22', '1.24']) {
    test(`go${minor}: GO111MODULE=off hides the module's go.mod; without it the build works`, async () => {
      const s = scenario(`gsd404-off-${minor}`);
      const gopath = s.folder('home/go');
      const app = s.folder('home/src/app', {
        'go.mod': 'module example.com/app\n\ngo 1.21\n',
        'main.go': 'package main\n\nimport "example.com/app/util"\n\nfunc main() { util.U() }\n',
        'util/u.go': 'package util\n\nfunc U() {}\n',
      });
      const env = goEnv(s, minor, { GOPATH: gopath, GO111MODULE: 'off' });
      const build = go(minor, ['build', '-o', os_devnull(), '.'], app, env);
      assert.equal(build.status, 1);
      assert.ok(build.out.includes('main.go:3:8: cannot find package "example.com/app/util" in any of:'), build.out);
      assert.ok(build.out.includes(`${gopath}/src/example.com/app/util (from $GOPATH)`), build.out);

      const d = await s.diagnose({ timeoutMs: LOADED_MACHINE_TIMEOUT_MS, target: app, env });
      const [f] = findingsOf(d.report, 'GSD404');
      assert.ok(f, explain(d));
      assert.equal(f.title, 'GO111MODULE=off: the go.mod is ignored');
      assert.ok(f.message.includes('so ~/src/app/go.mod is ignored'), f.message);
      assert.ok(f.evidence.includes('GO111MODULE=off is set in the environment VS Code was started with'), f.evidence.join('\n'));
      assert.ok(f.fixes.some((x) => x.actions.some((a) => a.kind === 'runShell' && a.command === 'unset GO111MODULE')));
      // One cause, one finding: GSD501 (the variable) steps aside and says where it is reported.
      assert.deepEqual(findingsOf(d.report, 'GSD501'), [], explain(d));
      const c501 = d.report.checks.find((c) => c.code === 'GSD501');
      assert.equal(c501?.status, 'skipped');
      assert.ok(c501?.reason?.includes('GSD404'), c501?.reason);

      // The fix (the variable gone): the build works and the finding is gone.
      const fixedEnv = goEnv(s, minor, { GOPATH: gopath });
      assert.equal(go(minor, ['build', '-o', os_devnull(), '.'], app, fixedEnv).status, 0);
      const after = await s.diagnose({ timeoutMs: LOADED_MACHINE_TIMEOUT_MS, target: app, env: fixedEnv });
      assert.deepEqual(findingsOf(after.report, 'GSD404'), [], explain(after));
    });
  }

  test('GOPATH-style code without go.mod in module mode; the real go mod init with the GOPATH import path fixes it', async () => {
    const s = scenario('gsd404-gopath');
    const gopath = s.folder('home/go');
    const tool = s.folder('home/go/src/github.com/acme/tool', {
      'main.go': 'package main\n\nimport "github.com/acme/tool/internal/x"\n\nfunc main() { x.X() }\n',
      'internal/x/x.go': 'package x\n\nfunc X() {}\n',
    });
    const env = goEnv(s, '1.22', { GOPATH: gopath });
    const build = go('1.22', ['build', '-o', os_devnull(), '.'], tool, env);
    assert.equal(build.status, 1);
    assert.ok(build.out.includes("go: go.mod file not found in current directory or any parent directory; see 'go help modules'"), build.out);

    const d = await s.diagnose({ timeoutMs: LOADED_MACHINE_TIMEOUT_MS, target: tool, env });
    assert.deepEqual(findingsOf(d.report, 'GSD401'), [], 'under GOPATH/src, so no-module stays quiet');
    const [f] = findingsOf(d.report, 'GSD404');
    assert.ok(f, explain(d));
    assert.ok(f.message.includes('(under ~/go/src, import path github.com/acme/tool)'), f.message);
    const action = f.fixes[0].actions[0];
    assert.deepEqual(action, { kind: 'runShell', command: `${tc.go('1.22').bin} mod init github.com/acme/tool`, cwd: tool });

    // Run the offered command for real.
    assert.equal(go('1.22', ['mod', 'init', 'github.com/acme/tool'], tool, env).status, 0);
    assert.equal(go('1.22', ['build', '-o', os_devnull(), '.'], tool, env).status, 0);
    const after = await s.diagnose({ timeoutMs: LOADED_MACHINE_TIMEOUT_MS, target: tool, env });
    assert.deepEqual(findingsOf(after.report, 'GSD404'), [], explain(after));
  });
});

describe('GSD409 module-graph-out-of-sync', { skip, concurrency: true }, () => {
  for (const minor of ['1.19', '1.22', '1.24']) {
    test(`go${minor}: a requirement lower than the graph selects; a real go mod tidy fixes it`, async (t) => {
      const s = scenario(`gsd409-${minor}`);
      const app = replacedModules(s);
      const env = goEnv(s, minor);
      const goMod = path.join(app, 'go.mod');
      // go1.19's tidy refuses go.mod files newer than itself.
      const goLine = minor === '1.19' ? 'go 1.17' : 'go 1.21';
      for (const m of ['app', 'dep', 'other']) {
        const p = s.path(m, 'go.mod');
        fs.writeFileSync(p, fs.readFileSync(p, 'utf8').replace('go 1.21', goLine));
      }
      fs.writeFileSync(goMod, fs.readFileSync(goMod, 'utf8').replace('example.com/other v1.1.0', 'example.com/other v1.0.0'));
      const build = go(minor, ['build', '-o', os_devnull(), '.'], app, env);
      assert.equal(build.status, 1);
      assert.ok(build.out.includes('go: updates to go.mod needed'), build.out);

      const d = await s.diagnose({ timeoutMs: LOADED_MACHINE_TIMEOUT_MS, target: app, env });
      const check = d.snapshot.workspace.folders[0].moduleCheck;
      assert.ok(check, 'the module check ran');
      assert.deepEqual(check.argv, [tc.go(minor).bin, 'list', '-mod=readonly', '-m', 'all']);
      assert.equal(check.envOverrides.GOPROXY, undefined, 'GOPROXY=off was already in the env');
      assert.equal(check.stderr, "go: updates to go.mod needed, disabled by -mod=readonly; to update it:\n\tgo mod tidy\n");
      t.diagnostic(`go list -m all took ${check.durationMs.toFixed(0)} ms`);
      const [f] = findingsOf(d.report, 'GSD409');
      assert.ok(f, explain(d));
      assert.equal(f.severity, 'error');
      assert.ok(f.message.startsWith(`${goMod}: go refuses to use the module graph as it is (updates to go.mod needed)`), f.message);
      assert.deepEqual(f.fixes[0].actions[0], { kind: 'runShell', command: `${tc.go(minor).bin} mod tidy`, cwd: app });
      // The module check wrote nothing.
      assert.ok(fs.readFileSync(goMod, 'utf8').includes('example.com/other v1.0.0'));

      const tidy = go(minor, ['mod', 'tidy'], app, env);
      assert.equal(tidy.status, 0, tidy.out);
      const after = await s.diagnose({ timeoutMs: LOADED_MACHINE_TIMEOUT_MS, target: app, env });
      assert.equal(after.snapshot.workspace.folders[0].moduleCheck?.exitCode, 0);
      assert.deepEqual(findingsOf(after.report, 'GSD409'), [], explain(after));
    });
  }

  test('go.sum lost its lines: real "missing go.sum entry"; go mod tidy against the (file://) proxy restores it', async () => {
    const zipOk = spawnSync('zip', ['-v'], { timeout: 10000 }).status === 0;
    if (!zipOk) return; // no zip tool to build the proxy
    const s = scenario('gsd409-sum');
    // A module proxy in a directory (GOPROXY=file://...), laid out as `go help goproxy` says.
    const src = s.folder('zipsrc/example.com/lib@v1.0.0', {
      'go.mod': 'module example.com/lib\n\ngo 1.21\n',
      'lib.go': 'package lib\n\nfunc L() {}\n',
    });
    const at = s.folder('proxy/example.com/lib/@v');
    fs.copyFileSync(path.join(src, 'go.mod'), path.join(at, 'v1.0.0.mod'));
    fs.writeFileSync(path.join(at, 'v1.0.0.info'), '{"Version":"v1.0.0","Time":"2024-01-01T00:00:00Z"}\n');
    fs.writeFileSync(path.join(at, 'list'), 'v1.0.0\n');
    const z = spawnSync('zip', ['-qr', path.join(at, 'v1.0.0.zip'), 'example.com/lib@v1.0.0'], { cwd: s.path('zipsrc') });
    assert.equal(z.status, 0);
    const app = s.folder('home/src/app', {
      'go.mod': 'module example.com/app\n\ngo 1.21\n\nrequire example.com/lib v1.0.0\n',
      'main.go': 'package main\n\nimport "example.com/lib"\n\nfunc main() { lib.L() }\n',
    });
    const online = goEnv(s, '1.24', { GOPROXY: `file://${s.path('proxy')}`, GOSUMDB: 'off', GOFLAGS: '-modcacherw' });
    assert.equal(go('1.24', ['mod', 'tidy'], app, online).status, 0);
    const sum = path.join(app, 'go.sum');
    assert.ok(fs.readFileSync(sum, 'utf8').includes('example.com/lib v1.0.0/go.mod h1:'));
    fs.rmSync(sum);
    const build = go('1.24', ['build', '-o', os_devnull(), '.'], app, online);
    assert.equal(build.status, 1);
    assert.ok(build.out.includes('main.go:3:8: missing go.sum entry for module providing package example.com/lib (imported by example.com/app); to add:'), build.out);

    const d = await s.diagnose({ timeoutMs: LOADED_MACHINE_TIMEOUT_MS, target: app, env: online });
    const check = d.snapshot.workspace.folders[0].moduleCheck;
    assert.equal(check?.envOverrides.GOPROXY, 'off', 'the check never uses the proxy');
    const [f] = findingsOf(d.report, 'GSD409');
    assert.ok(f, explain(d));
    assert.ok(f.evidence.includes('go: example.com/lib@v1.0.0: missing go.sum entry for go.mod file; to add it:'), f.evidence.join('\n'));
    assert.ok(f.message.includes('(missing go.sum entry)'), f.message);

    assert.equal(go('1.24', ['mod', 'tidy'], app, online).status, 0);
    const after = await s.diagnose({ timeoutMs: LOADED_MACHINE_TIMEOUT_MS, target: app, env: online });
    assert.deepEqual(findingsOf(after.report, 'GSD409'), [], explain(after));
  });
});

describe('GSD410 wasm-target-imports', { skip, concurrency: true }, () => {
  const WASM_MAIN = 'package main\n\nimport "syscall/js"\n\nfunc main() {\n\tjs.Global().Get("console").Call("log", "hi")\n}\n';

  test('main.go imports syscall/js with no constraint: real gopls and go build errors; the build.env edit (created file) clears it', async () => {
    const s = scenario('gsd410');
    const app = s.folder('home/src/wasmapp', { 'go.mod': 'module example.com/wasmapp\n\ngo 1.21\n', 'main.go': WASM_MAIN });
    const env = goEnv(s, '1.22');
    const gopls = tc.gopls('v0.16.1').path;
    const check = spawnSync(gopls, ['check', 'main.go'], { cwd: app, env, encoding: 'utf8', timeout: 120000 });
    const said = `${check.stdout}${check.stderr}`;
    assert.ok(said.includes(`${app}/main.go:3:8-20: could not import syscall/js (no required module provides package "syscall/js")`), said);
    const build = go('1.22', ['build', '-o', os_devnull(), '.'], app, env);
    assert.equal(build.status, 1);
    assert.ok(build.out.includes(`imports syscall/js: build constraints exclude all Go files in ${tc.go('1.22').goroot}/src/syscall/js`), build.out);

    const d = await s.diagnose({ timeoutMs: LOADED_MACHINE_TIMEOUT_MS, target: app, env });
    assert.deepEqual(d.snapshot.workspace.folders[0].syscallJsFiles?.map((f) => f.path), [path.join(app, 'main.go')]);
    const [f] = findingsOf(d.report, 'GSD410');
    assert.ok(f, explain(d));
    assert.equal(f.severity, 'info');
    assert.ok(f.message.startsWith('main.go imports syscall/js with no js/wasm build constraint, but gopls type-checks ~/src/wasmapp for GOOS=linux'), f.message);
    assert.ok(f.evidence.includes('main.go:3: import "syscall/js"'), f.evidence.join('\n'));
    const edit = f.fixes[0].actions[0];
    assert.ok(edit.kind === 'editFile');
    const settings = path.join(app, '.vscode', 'settings.json');
    assert.equal(edit.uri, `file://${settings}`);
    assert.ok(!fs.existsSync(settings));
    s.folderSettings(app, applyTextEdits('', edit.edits));
    assert.deepEqual(JSON.parse(fs.readFileSync(settings, 'utf8')), { gopls: { 'build.env': { GOOS: 'js', GOARCH: 'wasm' } } });

    // gopls with that environment (what build.env gives it) checks the file cleanly.
    const fixedCheck = spawnSync(gopls, ['check', 'main.go'], { cwd: app, env: { ...env, GOOS: 'js', GOARCH: 'wasm' }, encoding: 'utf8', timeout: 120000 });
    assert.equal(`${fixedCheck.stdout}${fixedCheck.stderr}`.trim(), '');
    const after = await s.diagnose({ timeoutMs: LOADED_MACHINE_TIMEOUT_MS, target: app, env });
    assert.deepEqual(findingsOf(after.report, 'GSD410'), [], explain(after));
  });

  test('healthy twin: the same file behind //go:build js && wasm', async () => {
    const s = scenario('gsd410-ok');
    const app = s.folder('home/src/wasmapp', {
      'go.mod': 'module example.com/wasmapp\n\ngo 1.21\n',
      'main.go': `//go:build js && wasm\n\n${WASM_MAIN}`,
      'host.go': '//go:build !js\n\npackage main\n\nfunc main() {}\n',
    });
    const d = await s.diagnose({ timeoutMs: LOADED_MACHINE_TIMEOUT_MS, target: app, env: goEnv(s, '1.22') });
    assert.equal(d.snapshot.workspace.folders[0].syscallJsFiles?.length, 1);
    assert.deepEqual(findingsOf(d.report, 'GSD410'), [], explain(d));
  });
});
