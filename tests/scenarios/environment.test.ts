// GSD5xx environment rules (and the toolchain/tools rules that hinge on the environment) on
// real Go installs: each broken setup is made for real (env, go env -w file, settings files,
// missing or non-executable files, a PATH without a C compiler), the go command or tool shows
// its real error text, the full probe -> WASM engine path diagnoses it, and a healthy twin
// gives no finding. Nothing here touches the network: the go commands run with GOPROXY=off or
// need no downloads.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, test } from 'node:test';
import type { Finding } from '../../extension/src/engine/generated/Finding';
import { runCommand } from '../../extension/src/gather/exec';
import { applyEditFix, explain, findingsOf, fixCommands, scenarioFactory } from '../helpers/scenario';
import * as tc from '../helpers/toolchains';

const skip = tc.skipScenarios;
const scenario = scenarioFactory();
// One build cache for every go command of this file, so each test does not compile the runtime.
const gocache = fs.mkdtempSync(path.join(os.tmpdir(), 'gsd-env-gocache-'));
after(() => fs.rmSync(gocache, { recursive: true, force: true }));

/** Run a real command the way a user's terminal would, in `cwd`, with `env`. */
async function real(argv: string[], cwd: string, env: NodeJS.ProcessEnv, timeoutMs = 120000) {
  return runCommand(argv, { cwd, env: { GOCACHE: gocache, ...env }, timeoutMs });
}

/** Apply the fix of `f` titled *title* to the files on disk. */
function applyEdits(f: Finding, title: string): void {
  const fix = f.fixes.find((x) => x.title.includes(title));
  assert.ok(fix, `no fix titled *${title}*: ${f.fixes.map((x) => x.title).join(' | ')}`);
  applyEditFix(fix);
}

const CGO_MAIN = 'package main\n\n// int two(void) { return 2; }\nimport "C"\n\nfunc main() { println(C.two()) }\n';
const gcc = ['/usr/bin/gcc', '/usr/local/bin/gcc'].find((p) => fs.existsSync(p));

describe('GSD504 cgo-no-compiler', { skip, concurrency: true }, () => {
  const noGcc = 'cgo: C compiler "gcc" not found: exec: "gcc": executable file not found in $PATH';

  test('CGO_ENABLED=1 and a PATH without gcc (go1.24): real build error, warning; unsetting it turns cgo off (info)', async () => {
    const s = scenario('gsd504-forced');
    const mod = s.module('src/cgo', '1.22', { 'main.go': CGO_MAIN });
    const env = s.env([tc.binDir('1.24')], { CGO_ENABLED: '1' });
    const build = await real([tc.go('1.24').bin, 'build', '-o', os.devNull, '.'], mod, env);
    assert.equal(build.exitCode, 1);
    assert.ok(build.stderr.includes(noGcc), build.stderr);

    const d = await s.diagnose({ target: mod, env });
    const cc = d.snapshot.programLookups?.find((l) => l.var === 'CC');
    assert.deepEqual([cc?.value, cc?.executable, cc?.searched], ['gcc', false, [tc.binDir('1.24')]]);
    const [f] = findingsOf(d.report, 'GSD504');
    assert.ok(f, explain(d));
    assert.equal(f.severity, 'warning');
    assert.ok(f.message.includes(noGcc), f.message);
    assert.ok(f.evidence.includes('go env CGO_ENABLED: 1'), f.evidence.join('\n'));
    assert.ok(f.evidence.includes('go env CC: gcc (from go env)'), f.evidence.join('\n'));
    const cmds = fixCommands(f);
    // The variable is the cause: unsetting it comes first; `go env -w` would not override it.
    assert.equal(cmds[0], 'unset CGO_ENABLED', cmds.join('\n'));
    assert.ok(cmds.includes('sudo apt-get install gcc'), cmds.join('\n'));
    assert.ok(!cmds.some((c) => c.includes('env -w CGO_ENABLED')), cmds.join('\n'));

    // The user unsets CGO_ENABLED: Go 1.20+ turns cgo off by itself; the cgo package is skipped.
    const { CGO_ENABLED: _, ...unset } = env;
    const again = await s.diagnose({ target: mod, env: unset });
    const [info] = findingsOf(again.report, 'GSD504');
    assert.ok(info, explain(again));
    assert.equal(info.severity, 'info');
    assert.ok(info.title.includes('cgo is off because no C compiler "gcc" was found'), info.title);
    const skipped = await real([tc.go('1.24').bin, 'build', '-o', os.devNull, '.'], mod, unset);
    assert.ok(skipped.stderr.includes('build constraints exclude all Go files'), skipped.stderr);
  });

  test('go1.19 without gcc: cgo stays on by default, the real error text, warning', async () => {
    const s = scenario('gsd504-go119');
    const mod = s.module('src/cgo', '1.19', { 'main.go': CGO_MAIN });
    const env = s.env([tc.binDir('1.19')]);
    const build = await real([tc.go('1.19').bin, 'build', '-o', os.devNull, '.'], mod, env);
    assert.equal(build.exitCode, 2);
    assert.ok(build.stderr.includes(noGcc), build.stderr);
    const d = await s.diagnose({ target: mod, env });
    const [f] = findingsOf(d.report, 'GSD504');
    assert.ok(f, explain(d));
    assert.equal(f.severity, 'warning');
    assert.ok(f.message.includes(noGcc) && f.message.includes('every package with import "C"'), f.message);
    // The offered `go env -w CGO_ENABLED=0`, run for real into a temp GOENV: finding gone.
    const goenv = s.path('config', 'go', 'env');
    const cmd = `${tc.go('1.19').bin} env -w CGO_ENABLED=0`;
    assert.ok(fixCommands(f).includes(cmd), fixCommands(f).join('\n'));
    const withGoenv = { ...env, GOENV: goenv };
    const w = await runCommand(cmd.split(' '), { env: withGoenv, timeoutMs: 10000 });
    assert.equal(w.exitCode, 0, w.stderr);
    const again = await s.diagnose({ target: mod, env: withGoenv });
    assert.deepEqual(findingsOf(again.report, 'GSD504'), [], explain(again));
  });

  test('CC set to a removed compiler in go.toolsEnvVars: the stat error; the settings fix removes it', async () => {
    const s = scenario('gsd504-cc');
    const mod = s.module('src/cgo', '1.22', { 'main.go': CGO_MAIN });
    const cc = s.path('opt/cross/bin/cc');
    const settings = s.folderSettings(mod, `{\n  // cross toolchain\n  "go.toolsEnvVars": { "CC": "${cc}" }\n}\n`);
    const env = s.env([tc.binDir('1.24')]);
    const build = await real([tc.go('1.24').bin, 'build', '-o', os.devNull, '.'], mod, { ...env, CC: cc });
    const said = `cgo: C compiler "${cc}" not found: exec: "${cc}": stat ${cc}: no such file or directory`;
    assert.ok(build.stderr.includes(said), build.stderr);
    const d = await s.diagnose({ target: mod, env });
    const [f] = findingsOf(d.report, 'GSD504');
    assert.ok(f, explain(d));
    assert.ok(f.message.includes(said), f.message);
    applyEdits(f, 'Remove CC from go.toolsEnvVars');
    assert.ok(fs.readFileSync(settings, 'utf8').includes('// cross toolchain'));
    const again = await s.diagnose({ target: mod, env });
    // With CC gone and no gcc on this PATH, Go 1.24 turns cgo off: only the info remains.
    assert.deepEqual(findingsOf(again.report, 'GSD504').map((x) => x.severity), ['info'], explain(again));
  });

  test('healthy: a C compiler on PATH (or, on a machine without one, cgo off on purpose)', async () => {
    const s = scenario('gsd504-ok');
    const mod = s.module('src/cgo', '1.22', { 'main.go': CGO_MAIN });
    const env = gcc ? s.env([tc.binDir('1.24'), path.dirname(gcc)], { CGO_ENABLED: '1' }) : s.env([tc.binDir('1.24')], { CGO_ENABLED: '0' });
    if (gcc) {
      const build = await real([tc.go('1.24').bin, 'build', '-o', os.devNull, '.'], mod, env);
      assert.equal(build.exitCode, 0, build.stderr);
    }
    const d = await s.diagnose({ target: mod, env });
    assert.deepEqual(findingsOf(d.report, 'GSD504'), [], explain(d));
  });
});

describe('GSD508 tools-network-unreachable', { skip, concurrency: true }, () => {
  test('GOPROXY=off with gopls missing: the real install error; the finding', async () => {
    const s = scenario('gsd508-off');
    const mod = s.module('src/app', '1.22');
    // Only the go bin dir: /usr/bin has a Debian gopls.
    const env = s.env([tc.binDir('1.24')], { GOPROXY: 'off', GOFLAGS: '-mod=mod' });
    const install = await real([tc.go('1.24').bin, 'install', 'golang.org/x/tools/gopls@v0.16.1'], s.root, env);
    assert.equal(install.exitCode, 1);
    assert.ok(install.stderr.includes('go: golang.org/x/tools/gopls@v0.16.1: module lookup disabled by GOPROXY=off'), install.stderr);
    const d = await s.diagnose({ target: mod, env });
    const [f] = findingsOf(d.report, 'GSD508');
    assert.ok(f, explain(d));
    assert.ok(f.message.includes('module lookup disabled by GOPROXY=off') && f.message.includes('gopls and dlv are not installed'), f.message);
    assert.ok(f.evidence.includes('go env GOPROXY: off') && f.evidence.includes('go env GOFLAGS: -mod=mod'), f.evidence.join('\n'));
    assert.ok(fixCommands(f).includes('unset GOPROXY'), fixCommands(f).join('\n'));
  });

  test('HTTP_PROXY without HTTPS_PROXY (credentials redacted); healthy with both', async () => {
    const s = scenario('gsd508-proxy');
    const mod = s.module('src/app', '1.22');
    const d = await s.diagnose({ target: mod, env: s.env([tc.binDir('1.24')], { HTTP_PROXY: 'http://bob:hunter2@proxy.corp.example:3128' }) });
    const [f] = findingsOf(d.report, 'GSD508');
    assert.ok(f, explain(d));
    assert.ok(!JSON.stringify(f).includes('hunter2'), 'no password in the finding');
    assert.ok(fixCommands(f).includes('~/.profile: export HTTPS_PROXY="$HTTP_PROXY"'), fixCommands(f).join('\n'));
    const ok = await s.diagnose({
      target: mod,
      env: s.env([tc.binDir('1.24')], { HTTP_PROXY: 'http://proxy.corp.example:3128', HTTPS_PROXY: 'http://proxy.corp.example:3128' }),
    });
    assert.deepEqual(findingsOf(ok.report, 'GSD508'), [], explain(ok));
  });
});

describe('GSD508 tools-network-unreachable (GOPROXY=direct)', { skip, concurrency: true }, () => {
  test('GOPROXY=direct written by a real go env -w, behind HTTPS_PROXY: information, go env -w fix', async () => {
    const s = scenario('gsd508-direct');
    const mod = s.module('src/app', '1.22');
    const env = s.env([tc.binDir('1.24')], { GOENV: s.path('config', 'go', 'env'), HTTPS_PROXY: 'http://proxy.corp.example:3128' });
    const w = await runCommand([tc.go('1.24').bin, 'env', '-w', 'GOPROXY=direct'], { env, timeoutMs: 10000 });
    assert.equal(w.exitCode, 0, w.stderr);
    const d = await s.diagnose({ target: mod, env });
    const [f] = findingsOf(d.report, 'GSD508');
    assert.ok(f, explain(d));
    assert.equal(f.severity, 'info');
    assert.ok(f.evidence.includes('go env GOPROXY: direct'), f.evidence.join('\n'));
    const cmd = `${tc.go('1.24').bin} env -w GOPROXY=https://proxy.golang.org,direct`;
    assert.ok(fixCommands(f).includes(cmd), fixCommands(f).join('\n'));
    const fixed = await runCommand(cmd.split(' '), { env, timeoutMs: 10000 });
    assert.equal(fixed.exitCode, 0, fixed.stderr);
    const again = await s.diagnose({ target: mod, env });
    assert.deepEqual(findingsOf(again.report, 'GSD508'), [], explain(again));
  });
});

describe('GSD509 private-module-access', { skip, concurrency: true }, () => {
  test('require git.corp.example.com/... with GOPRIVATE unset: real offline error; the go env -w fix, run for real, clears it', async () => {
    const s = scenario('gsd509');
    const mod = s.module('src/app', '1.22', {
      'go.mod': 'module example.com/app\n\ngo 1.22\n\nrequire git.corp.example.com/team/lib v1.2.3\n',
    });
    const goenv = s.path('config', 'go', 'env');
    const env = s.env([tc.binDir('1.24')], { GOENV: goenv });
    // What the editor's go list sees offline (GOPROXY=off keeps this test off the network).
    const list = await real([tc.go('1.24').bin, 'list', '-m', 'all'], mod, { ...env, GOPROXY: 'off', GOFLAGS: '-mod=mod' });
    assert.equal(list.exitCode, 1);
    assert.ok(list.stderr.includes('go: git.corp.example.com/team/lib@v1.2.3: module lookup disabled by GOPROXY=off'), list.stderr);

    const d = await s.diagnose({ target: mod, env });
    const [f] = findingsOf(d.report, 'GSD509');
    assert.ok(f, explain(d));
    assert.equal(f.severity, 'warning');
    assert.ok(f.message.includes('reading https://sum.golang.org/lookup/'), f.message);
    assert.ok(f.evidence.some((e) => e.startsWith('git.corp.example.com: its `corp` label') && e.endsWith('required: git.corp.example.com/team/lib')), f.evidence.join('\n'));
    assert.ok(f.evidence.includes('go env GOPRIVATE: (empty)'), f.evidence.join('\n'));
    const cmd = `${tc.go('1.24').bin} env -w GOPRIVATE=git.corp.example.com`;
    assert.deepEqual(fixCommands(f), [cmd]);
    const w = await runCommand(cmd.split(' '), { env, timeoutMs: 10000 });
    assert.equal(w.exitCode, 0, w.stderr);
    assert.equal(fs.readFileSync(goenv, 'utf8'), 'GOPRIVATE=git.corp.example.com\n');
    const again = await s.diagnose({ target: mod, env });
    assert.deepEqual(findingsOf(again.report, 'GSD509'), [], explain(again));
  });

  test('healthy: only public modules (github.com, vanity domains)', async () => {
    const s = scenario('gsd509-ok');
    const mod = s.module('src/app', '1.22', {
      'go.mod': 'module example.com/app\n\ngo 1.22\n\nrequire (\n\tgithub.com/google/uuid v1.6.0\n\tgo.uber.org/zap v1.27.0\n)\n',
    });
    const d = await s.diagnose({ target: mod, env: s.env([tc.binDir('1.24')]) });
    assert.deepEqual(findingsOf(d.report, 'GSD509'), [], explain(d));
  });
});

describe('GSD510 packages-driver-broken', { skip, concurrency: true }, () => {
  const gopls = () => tc.gopls('v0.16.1').path;

  test('gopls build.env GOPACKAGESDRIVER names a missing script: real gopls error; removing the setting clears it', async () => {
    const s = scenario('gsd510-missing');
    const mod = s.module('src/app', '1.22');
    const driver = path.join(mod, 'tools', 'gopackagesdriver.sh');
    const settings = s.folderSettings(
      mod,
      '{\n  // bazel setup\n  "gopls": {\n    "build.env": { "GOPACKAGESDRIVER": "${workspaceFolder}/tools/gopackagesdriver.sh" },\n    "ui.semanticTokens": true\n  }\n}\n',
    );
    const env = s.env([tc.binDir('1.22')]);
    const said = `packages.Load error: ${driver}: fork/exec ${driver}: no such file or directory`;
    const check = await real([gopls(), 'check', path.join(mod, 'main.go')], mod, { ...env, GOPACKAGESDRIVER: driver });
    assert.ok(check.stderr.includes(`initial workspace load failed: ${said}`), check.stderr);

    const d = await s.diagnose({ target: mod, env });
    const [f] = findingsOf(d.report, 'GSD510');
    assert.ok(f, explain(d));
    assert.equal(f.severity, 'error');
    assert.ok(f.message.includes(said), f.message);
    assert.ok(f.evidence.includes('GOPACKAGESDRIVER=${workspaceFolder}/tools/gopackagesdriver.sh (gopls build.env (workspace folder settings))'), f.evidence.join('\n'));
    applyEdits(f, 'Remove GOPACKAGESDRIVER from gopls build.env');
    const text = fs.readFileSync(settings, 'utf8');
    assert.ok(text.includes('// bazel setup') && text.includes('"ui.semanticTokens": true') && !text.includes('GOPACKAGESDRIVER'), text);
    const again = await s.diagnose({ target: mod, env });
    assert.deepEqual(findingsOf(again.report, 'GSD510'), [], explain(again));
  });

  test('GOPACKAGESDRIVER in the environment without the x bit: real "permission denied"; chmod +x run for real clears it', async () => {
    const s = scenario('gsd510-mode');
    const mod = s.module('src/app', '1.22');
    const driver = s.write('tools/driver.sh', '#!/bin/sh\nexec "$@"\n', 0o644);
    const env = s.env([tc.binDir('1.22')], { GOPACKAGESDRIVER: driver });
    const check = await real([gopls(), 'check', path.join(mod, 'main.go')], mod, env);
    const said = `packages.Load error: ${driver}: fork/exec ${driver}: permission denied`;
    assert.ok(check.stderr.includes(said), check.stderr);
    const d = await s.diagnose({ target: mod, env });
    const [f] = findingsOf(d.report, 'GSD510');
    assert.ok(f, explain(d));
    assert.ok(f.message.includes(said) && f.message.includes('a file without execute permission (mode 0644)'), f.message);
    const chmod = fixCommands(f).find((c) => c.startsWith('chmod +x '));
    assert.equal(chmod, `chmod +x ${driver}`);
    // The offered command, run as the user would in a terminal.
    const run = await runCommand(['/bin/sh', '-c', chmod], { env: { ...env, PATH: '/usr/bin:/bin' }, timeoutMs: 5000 });
    assert.equal(run.exitCode, 0, run.stderr);
    const again = await s.diagnose({ target: mod, env });
    assert.deepEqual(findingsOf(again.report, 'GSD510'), [], explain(again));
  });

  test('go.goroot into a Bazel output tree not built yet: GSD510 (not GSD309); healthy once the tree exists', async () => {
    const s = scenario('gsd510-bazel');
    const mod = s.module('src/app', '1.22');
    s.folderSettings(mod, '{ "go.goroot": "${workspaceFolder}/bazel-app/external/go_sdk" }\n');
    const env = s.env([tc.binDir('1.22')]);
    const d = await s.diagnose({ target: mod, env });
    const [f] = findingsOf(d.report, 'GSD510');
    assert.ok(f, explain(d));
    assert.ok(f.message.includes(`${mod}/bazel-app/external/go_sdk`), f.message);
    assert.deepEqual(fixCommands(f), ['bazel build //...']);
    assert.deepEqual(findingsOf(d.report, 'GSD309'), [], 'one cause, one finding');
    // What Bazel leaves behind: bazel-app/external/go_sdk holding a Go SDK.
    fs.mkdirSync(path.join(mod, 'bazel-app', 'external'), { recursive: true });
    fs.symlinkSync(tc.go('1.22').goroot, path.join(mod, 'bazel-app', 'external', 'go_sdk'));
    const again = await s.diagnose({ target: mod, env });
    assert.deepEqual(findingsOf(again.report, 'GSD510'), [], explain(again));
    assert.equal(again.snapshot.goCandidates[again.snapshot.go?.candidate ?? -1]?.source, 'gorootSetting');
  });

  test('healthy: GOPACKAGESDRIVER=off', async () => {
    const s = scenario('gsd510-off');
    const mod = s.module('src/app', '1.22');
    const d = await s.diagnose({ target: mod, env: s.env([tc.binDir('1.22')], { GOPACKAGESDRIVER: 'off' }) });
    assert.deepEqual(findingsOf(d.report, 'GSD510'), [], explain(d));
  });
});

// Shipped rules, so far engine-tested on recorded outputs only: the same setups made for real.

describe('GSD106 toolchain-too-old-for-module', { skip, concurrency: true }, () => {
  test('go1.23.5 with GOTOOLCHAIN=local and go.mod `go 1.25.0`: the real text, error, GOTOOLCHAIN fix', async () => {
    const s = scenario('gsd106-local');
    const mod = s.module('src/app', '1.25.0');
    const env = s.env([tc.binDir('1.23')], { GOTOOLCHAIN: 'local' });
    const said = 'go: go.mod requires go >= 1.25.0 (running go 1.23.5; GOTOOLCHAIN=local)';
    const list = await real([tc.go('1.23').bin, 'list', '-m'], mod, env);
    assert.equal(list.exitCode, 1);
    assert.equal(list.stderr.trim(), said);
    const d = await s.diagnose({ target: mod, env });
    const [f] = findingsOf(d.report, 'GSD106');
    assert.ok(f, explain(d));
    assert.equal(f.severity, 'error');
    assert.ok(f.message.includes(said), f.message);
    assert.ok(f.evidence.includes('GOTOOLCHAIN=local'), f.evidence.join('\n'));
    assert.ok(fixCommands(f).some((c) => c.endsWith('GOTOOLCHAIN=auto') || c === 'unset GOTOOLCHAIN'), fixCommands(f).join('\n'));
  });

  test('go1.19.8 (before toolchain switching) and a three-part go line: its own parse error', async () => {
    const s = scenario('gsd106-go119');
    const mod = s.module('src/app', '1.25.0');
    const env = s.env([tc.binDir('1.19')]);
    const list = await real([tc.go('1.19').bin, 'list', '-m'], mod, env);
    assert.equal(list.exitCode, 1);
    const said = "invalid go version '1.25.0': must match format 1.23";
    assert.ok(list.stderr.includes(`go: errors parsing go.mod:\n${path.join(mod, 'go.mod')}:3: ${said}`), list.stderr);
    const d = await s.diagnose({ target: mod, env });
    const [f] = findingsOf(d.report, 'GSD106');
    assert.ok(f, explain(d));
    assert.ok(f.message.includes('predates toolchain switching'), f.message);
    assert.ok(f.message.endsWith(list.stderr.trim()), `${f.message}\n---\n${list.stderr}`);
  });

  test('healthy: go1.24.4 with go.mod `go 1.22`', async () => {
    const s = scenario('gsd106-ok');
    const mod = s.module('src/app', '1.22');
    const d = await s.diagnose({ target: mod, env: s.env([tc.binDir('1.24')], { GOTOOLCHAIN: 'local' }) });
    assert.deepEqual(findingsOf(d.report, 'GSD106'), [], explain(d));
  });
});

describe('GSD107 gopath-equals-goroot', { skip, concurrency: true }, () => {
  test('GOPATH=GOROOT in the environment: go warns for real; error with the env as origin', async () => {
    const s = scenario('gsd107');
    const mod = s.module('src/app', '1.22');
    const root = tc.go('1.24').goroot;
    const env = s.env([tc.binDir('1.24')], { GOPATH: root });
    const list = await real([tc.go('1.24').bin, 'list', '-m'], mod, env);
    assert.ok(list.stderr.includes(`warning: both GOPATH and GOROOT are the same directory (${root}); see https://go.dev/wiki/InstallTroubleshooting`), list.stderr);
    const d = await s.diagnose({ target: mod, env });
    const [f] = findingsOf(d.report, 'GSD107');
    assert.ok(f, explain(d));
    assert.equal(f.severity, 'error');
    assert.ok(f.evidence.includes(`go env GOROOT: ${root}`) && f.evidence.includes(`go env GOPATH: ${root}`), f.evidence.join('\n'));
    assert.ok(f.evidence.some((e) => e.includes('set in the environment VS Code was started with')), f.evidence.join('\n'));
    assert.ok(fixCommands(f).includes('unset GOPATH'), fixCommands(f).join('\n'));
  });

  test('healthy: GOPATH under HOME', async () => {
    const s = scenario('gsd107-ok');
    const mod = s.module('src/app', '1.22');
    const d = await s.diagnose({ target: mod, env: s.env([tc.binDir('1.24')], { GOPATH: path.join(s.home, 'go') }) });
    assert.deepEqual(findingsOf(d.report, 'GSD107'), [], explain(d));
  });
});

describe('GSD108 gobin-not-on-path', { skip, concurrency: true }, () => {
  test('~/go/bin not on PATH: the profile line, appended for real to a temp HOME, puts it on PATH', async () => {
    const s = scenario('gsd108');
    const mod = s.module('src/app', '1.22');
    const env = s.env([tc.binDir('1.24'), '/usr/bin', '/bin']);
    const d = await s.diagnose({ target: mod, env });
    const [f] = findingsOf(d.report, 'GSD108');
    assert.ok(f, explain(d));
    assert.equal(f.severity, 'warning');
    assert.ok(f.evidence.includes('install dir: ~/go/bin'), f.evidence.join('\n'));
    const profile = f.fixes.flatMap((x) => x.actions).find((a) => a.kind === 'appendToProfile');
    assert.ok(profile && profile.kind === 'appendToProfile', fixCommands(f).join('\n'));
    assert.deepEqual([profile.file, profile.line], ['~/.profile', 'export PATH="$PATH:$HOME/go/bin"']);
    // Append it to the temp HOME's ~/.profile and source it the way a login shell does.
    fs.appendFileSync(path.join(s.home, '.profile'), `${profile.line}\n`);
    const sh = await runCommand(['/bin/sh', '-c', '. "$HOME/.profile"; printf %s "$PATH"'], { env, timeoutMs: 5000 });
    assert.equal(sh.exitCode, 0, sh.stderr);
    assert.equal(sh.stdout, `${env.PATH}:${path.join(s.home, 'go', 'bin')}`);
    const again = await s.diagnose({ target: mod, env: { ...env, PATH: sh.stdout } });
    assert.deepEqual(findingsOf(again.report, 'GSD108'), [], explain(again));
  });
});

describe('GSD501 go111module-legacy', { skip, concurrency: true }, () => {
  test('GO111MODULE=off written by a real `go env -w`, classic GOPATH code: found in the GOENV file; the `go env -u` fix run for real', async () => {
    const s = scenario('gsd501');
    // GOPATH-era code under GOPATH/src without a go.mod: GOPATH mode still builds it, so nothing
    // is broken here (GSD404 stays quiet) and the leftover variable is GSD501's.
    const gopath = s.path('gopath');
    const app = s.folder('gopath/src/example.com/app', { 'main.go': 'package main\n\nfunc main() {}\n' });
    const goenv = s.path('config', 'go', 'env');
    const env = s.env([tc.binDir('1.24')], { GOENV: goenv, GOPATH: gopath });
    const w = await runCommand([tc.go('1.24').bin, 'env', '-w', 'GO111MODULE=off'], { env, timeoutMs: 10000 });
    assert.equal(w.exitCode, 0, w.stderr);
    const gomod = await real([tc.go('1.24').bin, 'env', 'GO111MODULE'], app, env);
    assert.equal(gomod.stdout.trim(), 'off');
    const d = await s.diagnose({ target: app, env });
    assert.deepEqual(findingsOf(d.report, 'GSD404'), [], explain(d));
    const [f] = findingsOf(d.report, 'GSD501');
    assert.ok(f, explain(d));
    assert.equal(f.severity, 'warning');
    assert.ok(f.evidence.some((e) => e.includes('`GO111MODULE=off` is in the go env file')), f.evidence.join('\n'));
    const cmd = `${tc.go('1.24').bin} env -u GO111MODULE`;
    assert.ok(fixCommands(f).includes(cmd), fixCommands(f).join('\n'));
    const u = await runCommand(cmd.split(' '), { env, timeoutMs: 10000 });
    assert.equal(u.exitCode, 0, u.stderr);
    const again = await s.diagnose({ target: app, env });
    assert.deepEqual(findingsOf(again.report, 'GSD501'), [], explain(again));
  });

  test('the same `go env -w GO111MODULE=off` with a module: one finding (GSD404, same fix), GSD501 points to it', async () => {
    const s = scenario('gsd501-module');
    const mod = s.module('src/app', '1.22');
    const goenv = s.path('config', 'go', 'env');
    const env = s.env([tc.binDir('1.24')], { GOENV: goenv });
    const w = await runCommand([tc.go('1.24').bin, 'env', '-w', 'GO111MODULE=off'], { env, timeoutMs: 10000 });
    assert.equal(w.exitCode, 0, w.stderr);
    // In GOPATH mode the module's go.mod is ignored.
    const gomod = await real([tc.go('1.24').bin, 'env', 'GOMOD'], mod, env);
    assert.equal(gomod.stdout.trim(), '');
    const d = await s.diagnose({ target: mod, env });
    assert.deepEqual(findingsOf(d.report, 'GSD501'), [], explain(d));
    const c = d.report.checks.find((x) => x.code === 'GSD501');
    assert.equal(c?.status, 'skipped');
    assert.ok(c?.reason?.includes('GSD404'), c?.reason);
    const [f] = findingsOf(d.report, 'GSD404');
    assert.ok(f, explain(d));
    assert.equal(f.title, 'GO111MODULE=off: the go.mod is ignored');
    const cmd = `${tc.go('1.24').bin} env -u GO111MODULE`;
    assert.ok(fixCommands(f).includes(cmd), fixCommands(f).join('\n'));
    const u = await runCommand(cmd.split(' '), { env, timeoutMs: 10000 });
    assert.equal(u.exitCode, 0, u.stderr);
    const again = await s.diagnose({ target: mod, env });
    assert.deepEqual([...findingsOf(again.report, 'GSD404'), ...findingsOf(again.report, 'GSD501')], [], explain(again));
    assert.equal(again.report.checks.find((x) => x.code === 'GSD501')?.status, 'passed');
  });
});

describe('GSD503 goflags-invalid', { skip, concurrency: true }, () => {
  test('GOFLAGS=-mod=bogus: go env accepts it, every build refuses it (real text); error', async () => {
    const s = scenario('gsd503');
    const mod = s.module('src/app', '1.22');
    const env = s.env([tc.binDir('1.24')], { GOFLAGS: '-mod=bogus' });
    const said = "-mod=bogus not supported (can be '', 'mod', 'readonly', or 'vendor')";
    const list = await real([tc.go('1.24').bin, 'list', '-m'], mod, env);
    assert.equal(list.exitCode, 1);
    assert.equal(list.stderr.trim(), said);
    const d = await s.diagnose({ target: mod, env });
    assert.equal(d.snapshot.go?.env?.exitCode, 0, 'go env -json does not check -mod');
    const [f] = findingsOf(d.report, 'GSD503');
    assert.ok(f, explain(d));
    assert.equal(f.severity, 'error');
    assert.ok(f.message.includes(said), f.message);
    assert.ok(fixCommands(f).includes('unset GOFLAGS'), fixCommands(f).join('\n'));
    assert.deepEqual(findingsOf(d.report, 'GSD105'), [], 'one cause, one finding');
  });

  test('healthy: GOFLAGS=-mod=mod', async () => {
    const s = scenario('gsd503-ok');
    const mod = s.module('src/app', '1.22');
    const d = await s.diagnose({ target: mod, env: s.env([tc.binDir('1.24')], { GOFLAGS: '-mod=mod' }) });
    assert.deepEqual(findingsOf(d.report, 'GSD503'), [], explain(d));
  });
});

describe('GSD507 cross-compile-env-leak', { skip, concurrency: true }, () => {
  test('GOOS=windows in go.toolsEnvVars: `go run` fails with exec format error for real; removing it clears the finding', async () => {
    const s = scenario('gsd507');
    const mod = s.module('src/app', '1.22');
    const settings = s.folderSettings(mod, '{\n  // cross-compiling for the release\n  "go.toolsEnvVars": { "GOOS": "windows", "GOFLAGS": "-mod=mod" }\n}\n');
    const env = s.env([tc.binDir('1.24')]);
    const run = await real([tc.go('1.24').bin, 'run', '.'], mod, { ...env, GOOS: 'windows' });
    assert.equal(run.exitCode, 1);
    assert.match(run.stderr, /fork\/exec \/\S+\/exe\/app\.exe: exec format error/);
    const d = await s.diagnose({ target: mod, env });
    const [f] = findingsOf(d.report, 'GSD507');
    assert.ok(f, explain(d));
    assert.equal(f.severity, 'error');
    assert.ok(f.evidence.includes('go env GOOS: windows') && f.evidence.includes('go env GOHOSTOS: linux'), f.evidence.join('\n'));
    assert.ok(f.evidence.includes('GOOS=windows is set by go.toolsEnvVars in folder settings'), f.evidence.join('\n'));
    applyEdits(f, 'Remove GOOS from go.toolsEnvVars');
    const text = fs.readFileSync(settings, 'utf8');
    assert.ok(text.includes('// cross-compiling for the release') && text.includes('"GOFLAGS": "-mod=mod"') && !text.includes('GOOS'), text);
    const again = await s.diagnose({ target: mod, env });
    assert.deepEqual(findingsOf(again.report, 'GSD507'), [], explain(again));
  });
});

describe('GSD204 dlv-missing-or-incompatible', { skip, concurrency: true }, () => {
  test('Debian dlv v1.20.2 with go1.24.4: delve refuses for real; the finding quotes it and pins a dlv that fits', async () => {
    const s = scenario('gsd204');
    const mod = s.module('src/app', '1.22');
    const dlv = tc.dlv('v1.20.2').path;
    const env = s.env([tc.binDir('1.24'), path.dirname(dlv)]);
    const exe = s.path('app');
    const build = await real([tc.go('1.24').bin, 'build', '-o', exe, '.'], mod, { ...env, CGO_ENABLED: '0' });
    assert.equal(build.exitCode, 0, build.stderr);
    const init = s.write('dlv-init', 'exit\n');
    const said = 'Version of Delve is too old for Go version 1.24.4 (maximum supported version 1.20, suppress this error with --check-go-version=false)';
    const debug = await real([dlv, 'exec', exe, '--allow-non-terminal-interactive=true', '--init', init], mod, env, 60000);
    assert.equal(debug.exitCode, 1);
    assert.ok(debug.stdout.includes(said) || debug.stderr.includes(said), debug.stdout + debug.stderr);

    const d = await s.diagnose({ target: mod, env });
    assert.equal(d.snapshot.tools.find((t) => t.name === 'dlv')?.path, dlv);
    const [f] = findingsOf(d.report, 'GSD204');
    assert.ok(f, explain(d));
    assert.equal(f.severity, 'warning');
    assert.ok(f.message.includes(said), f.message);
    assert.ok(f.evidence.includes('go: go1.24.4'), f.evidence.join('\n'));
    assert.ok(fixCommands(f).some((c) => c.startsWith(`${tc.go('1.24').bin} install github.com/go-delve/delve/cmd/dlv@v1.2`)), fixCommands(f).join('\n'));
  });

  test('healthy: Debian dlv v1.24.0 with go1.24.4 (and it really debugs the program)', async () => {
    const s = scenario('gsd204-ok');
    const mod = s.module('src/app', '1.22');
    const dlv = tc.dlv('v1.24.0').path;
    const env = s.env([tc.binDir('1.24'), path.dirname(dlv)]);
    const exe = s.path('app');
    const build = await real([tc.go('1.24').bin, 'build', '-o', exe, '.'], mod, { ...env, CGO_ENABLED: '0' });
    assert.equal(build.exitCode, 0, build.stderr);
    const debug = await real([dlv, 'exec', exe, '--allow-non-terminal-interactive=true', '--init', s.write('dlv-init', 'exit\n')], mod, env, 60000);
    assert.equal(debug.exitCode, 0, debug.stdout + debug.stderr);
    const d = await s.diagnose({ target: mod, env });
    assert.equal(d.snapshot.tools.find((t) => t.name === 'dlv')?.path, dlv);
    assert.deepEqual(findingsOf(d.report, 'GSD204'), [], explain(d));
  });
});
