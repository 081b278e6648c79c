// Tool binaries built for real with the installed toolchains, then looked up and identified by the
// real probe (vscode-go's lookup order, one `go version -m`) and diagnosed by the WASM engine:
// - GSD207: a tool cross-built with GOARCH=arm64 on this amd64 machine, started for real;
// - GSD208: the same tool published at two versions in a local file:// GOPROXY, installed with
//   go1.19 (v1.0.0, into GOPATH/bin) and go1.24 (v1.2.0, into a PATH dir): the older one wins;
// - GSD209: a tool file without execute permission, and one on a noexec tmpfs (own mount namespace).
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, test } from 'node:test';
import { applyEditFix, editFix, explain, findingsOf, fixCommands, Scenario, scenarioFactory } from '../helpers/scenario';
import * as tc from '../helpers/toolchains';

const skip = tc.skipScenarios;
const scenario = scenarioFactory();
// One build cache for every build in this file: the std packages are compiled once per toolchain.
const buildCache = fs.mkdtempSync(path.join(os.tmpdir(), 'gsd-toolbuild-cache-'));
after(() => fs.rmSync(buildCache, { recursive: true, force: true }));
const hostIsAmd64 = process.arch === 'x64' && process.platform === 'linux';

/** Run argv; fail the test with its output unless it exits 0. */
function run(argv: string[], env: NodeJS.ProcessEnv, cwd?: string): string {
  const r = spawnSync(argv[0], argv.slice(1), { env, cwd, encoding: 'utf8', timeout: 300000 });
  assert.equal(r.status, 0, `${argv.join(' ')} failed (${r.status} ${r.signal}):\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

/** The environment a build runs in: nothing from this machine but the toolchain itself. */
function buildEnv(s: Scenario, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    HOME: s.home,
    PATH: '/usr/bin:/bin',
    GOPATH: s.path('build-gopath'),
    GOCACHE: buildCache,
    GOTOOLCHAIN: 'local',
    GOFLAGS: '-modcacherw',
    GOSUMDB: 'off',
    GOPROXY: 'off',
    CGO_ENABLED: '0',
    ...extra,
  };
}

const MAIN = (msg: string) => `package main\n\nimport "fmt"\n\nfunc main() { fmt.Println(${JSON.stringify(msg)}) }\n`;

/**
 * Publish `mod@version` (a main package at the module root) in a file:// module proxy at `proxy`,
 * in the layout `go help goproxy` describes: @v/list, .info, .mod, .zip.
 */
function publish(s: Scenario, proxy: string, mod: string, version: string, mainDir = ''): void {
  const goMod = `module ${mod}\n\ngo 1.19\n`;
  const at = path.join(proxy, mod, '@v');
  fs.mkdirSync(at, { recursive: true });
  fs.appendFileSync(path.join(at, 'list'), `${version}\n`);
  fs.writeFileSync(path.join(at, `${version}.info`), JSON.stringify({ Version: version, Time: '2024-01-02T03:04:05Z' }));
  fs.writeFileSync(path.join(at, `${version}.mod`), goMod);
  const stage = s.path('stage', version);
  s.write(path.join(stage, `${mod}@${version}`, 'go.mod'), goMod);
  s.write(path.join(stage, `${mod}@${version}`, mainDir, 'main.go'), MAIN(`${mod} ${version}`));
  run(['zip', '-qr', path.join(at, `${version}.zip`), `${mod}@${version}`], { PATH: '/usr/bin:/bin' }, stage);
}

describe('GSD207 tool-wrong-arch (a real arm64 build on amd64)', { skip: skip || (!hostIsAmd64 && 'needs linux/amd64'), concurrency: true }, () => {
  /** A module `example.com/gopls` built for `goarch` into ~/go/bin/gopls, where vscode-go looks first. */
  function buildGopls(s: Scenario, goarch: string): string {
    const src = s.module('toolsrc', '1.19', { 'main.go': MAIN('not gopls') });
    s.write(path.join(src, 'go.mod'), 'module example.com/gopls\n\ngo 1.19\n');
    const out = path.join(s.home, 'go', 'bin', 'gopls');
    run([tc.go('1.22').bin, 'build', '-o', out, '.'], buildEnv(s, { GOOS: 'linux', GOARCH: goarch }), src);
    return out;
  }

  test('arm64 gopls in GOPATH/bin: the real start fails, go version -m says GOARCH=arm64', async () => {
    const s = scenario('gsd207');
    const mod = s.module('src/app', '1.22');
    const gopls = buildGopls(s, 'arm64');
    // What a terminal says when starting it (bash: "cannot execute binary file: Exec format error").
    const direct = spawnSync(gopls, ['version'], { encoding: 'utf8' });
    assert.equal((direct.error as NodeJS.ErrnoException | undefined)?.code ?? 'ran', 'ran', 'Node falls back to /bin/sh on ENOEXEC');
    const d = await s.diagnose({ target: mod, env: s.env([tc.binDir('1.22'), '/usr/bin', '/bin']) });
    const lookup = d.snapshot.tools.find((t) => t.name === 'gopls');
    assert.equal(lookup?.path, gopls);
    // The real outcome of starting it from Node: execve fails with ENOEXEC, libuv's execvp hands
    // the file to /bin/sh, which chokes on the ELF header.
    assert.notEqual(lookup?.version?.exitCode, 0);
    assert.match(lookup?.version?.stderr ?? '', /Syntax error|not found/);
    assert.match(d.snapshot.toolsBuildInfo?.stdout ?? '', /\tbuild\tGOARCH=arm64$/m);
    const [f] = findingsOf(d.report, 'GSD207');
    assert.ok(f, explain(d));
    assert.equal(f.severity, 'warning');
    assert.ok(f.title.includes('gopls is built for linux/arm64, this machine is linux/amd64'), f.title);
    assert.ok(f.evidence.includes('go version -m ~/go/bin/gopls: GOOS=linux GOARCH=arm64'), f.evidence.join('\n'));
    assert.ok(f.evidence.some((e) => e.startsWith('starting it: exec format error')), f.evidence.join('\n'));
    const [cmd] = fixCommands(f);
    assert.equal(cmd, `env -u GOOS -u GOARCH ${tc.go('1.22').bin} install example.com/gopls@latest`);
  });

  test('healthy twin: the same module built for amd64 gives no GSD207', async () => {
    const s = scenario('gsd207-ok');
    const mod = s.module('src/app', '1.22');
    const gopls = buildGopls(s, 'amd64');
    assert.equal(run([gopls], { PATH: '/usr/bin:/bin' }).trim(), 'not gopls');
    const d = await s.diagnose({ target: mod, env: s.env([tc.binDir('1.22'), '/usr/bin', '/bin']) });
    assert.match(d.snapshot.toolsBuildInfo?.stdout ?? '', /\tbuild\tGOARCH=amd64$/m);
    assert.deepEqual(findingsOf(d.report, 'GSD207'), [], explain(d));
  });
});

describe('GSD208 tool-shadowed (one tool installed twice, with two toolchains)', { skip, concurrency: true }, () => {
  /** revive v1.0.0 built with go1.19 into ~/go/bin, v1.2.0 built with go1.24 into opt/bin. */
  function twoRevives(s: Scenario, olderFirst: boolean): { gopathBin: string; optBin: string } {
    const proxy = s.path('proxy');
    publish(s, proxy, 'example.com/revive', 'v1.0.0');
    publish(s, proxy, 'example.com/revive', 'v1.2.0');
    const gopathBin = path.join(s.home, 'go', 'bin');
    const optBin = s.path('opt', 'bin');
    const [first, second] = olderFirst ? ['v1.0.0', 'v1.2.0'] : ['v1.2.0', 'v1.0.0'];
    const goproxy = { GOPROXY: `file://${proxy}` };
    run([tc.go('1.19').bin, 'install', `example.com/revive@${first}`], buildEnv(s, { ...goproxy, GOBIN: gopathBin }));
    run([tc.go('1.24').bin, 'install', `example.com/revive@${second}`], buildEnv(s, { ...goproxy, GOBIN: optBin }));
    return { gopathBin, optBin };
  }

  test('older revive in GOPATH/bin shadows the newer one on PATH; the settings fix makes the newer one win', async () => {
    const s = scenario('gsd208');
    const mod = s.module('src/app', '1.22');
    const { gopathBin, optBin } = twoRevives(s, true);
    const settingsFile = s.userSettings('{\n  // lint with revive\n  "go.lintTool": "revive"\n}\n');
    const env = s.env([tc.binDir('1.24'), optBin, '/usr/bin', '/bin']);
    const d = await s.diagnose({ target: mod, env });
    const revive = d.snapshot.tools.find((t) => t.name === 'revive');
    assert.equal(revive?.path, path.join(gopathBin, 'revive'));
    assert.equal(revive?.foundVia, 'gopath');
    assert.deepEqual(revive?.alsoFound, [path.join(optBin, 'revive')]);
    // One `go version -m` for every copy found.
    assert.ok(d.snapshot.toolsBuildInfo?.argv.includes(path.join(optBin, 'revive')));
    assert.match(d.snapshot.toolsBuildInfo?.stdout ?? '', /revive: go1\.19\.8\n(.*\n)*?\tmod\texample\.com\/revive\tv1\.0\.0\t/);
    const [f] = findingsOf(d.report, 'GSD208');
    assert.ok(f, explain(d));
    assert.equal(f.severity, 'warning');
    assert.ok(f.title.includes('revive in use is ~/go/bin/revive (v1.0.0)'), f.title);
    assert.ok(f.title.includes(`${path.join(optBin, 'revive')} is newer (v1.2.0)`), f.title);
    assert.ok(f.evidence.includes('go version -m ~/go/bin/revive: v1.0.0, built with go1.19.8'), f.evidence.join('\n'));
    assert.ok(f.evidence.includes(`go version -m ${path.join(optBin, 'revive')}: v1.2.0, built with go1.24.4 (shadowed)`), f.evidence.join('\n'));
    assert.deepEqual(fixCommands(f), [`rm ${path.join(gopathBin, 'revive')}`]);
    // Apply the settings fix (go.alternateTools.revive in user settings) and diagnose again.
    const fixed = applyEditFix(editFix(f));
    assert.ok(fixed.includes('// lint with revive'), fixed);
    const again = await s.diagnose({ target: mod, env });
    const after = again.snapshot.tools.find((t) => t.name === 'revive');
    assert.equal(after?.path, path.join(optBin, 'revive'));
    assert.equal(after?.foundVia, 'alternateTools');
    assert.deepEqual(findingsOf(again.report, 'GSD208'), [], explain(again));
  });

  test('healthy twin: the newer copy comes first', async () => {
    const s = scenario('gsd208-ok');
    const mod = s.module('src/app', '1.22');
    const { optBin } = twoRevives(s, false);
    s.userSettings('{ "go.lintTool": "revive" }\n');
    const d = await s.diagnose({ target: mod, env: s.env([tc.binDir('1.24'), optBin, '/usr/bin', '/bin']) });
    assert.deepEqual(d.snapshot.tools.find((t) => t.name === 'revive')?.alsoFound, [path.join(optBin, 'revive')]);
    assert.deepEqual(findingsOf(d.report, 'GSD208'), [], explain(d));
  });
});

describe('GSD205 format-tool-missing / GSD206 lint-tool-missing (real settings, real lookup)', { skip, concurrency: true }, () => {
  test('go.formatTool goimports with no goimports anywhere: finding, install command, and the settings fix clears it', async () => {
    const s = scenario('gsd205');
    const mod = s.module('src/app', '1.22');
    const settingsFile = s.userSettings('{\n  // format with goimports\n  "go.formatTool": "goimports",\n  "editor.tabSize": 4\n}\n');
    const env = s.env([tc.binDir('1.22'), '/bin']);
    const d = await s.diagnose({ target: mod, env });
    const lookup = d.snapshot.tools.find((t) => t.name === 'goimports');
    assert.equal(lookup?.path, undefined);
    const [f] = findingsOf(d.report, 'GSD205');
    assert.ok(f, explain(d));
    assert.equal(f.severity, 'warning');
    assert.ok(f.title.includes('go.formatTool is goimports, but goimports is not installed'), f.title);
    assert.ok(f.evidence.includes('not found: ~/go/bin/goimports'), f.evidence.join('\n'));
    assert.deepEqual(fixCommands(f), [`${tc.go('1.22').bin} install -v golang.org/x/tools/cmd/goimports@latest`]);
    const fixed = applyEditFix(editFix(f));
    assert.ok(fixed.includes('// format with goimports') && fixed.includes('"go.formatTool": "default"'), fixed);
    const again = await s.diagnose({ target: mod, env });
    assert.deepEqual(findingsOf(again.report, 'GSD205'), [], explain(again));
  });

  test('go.lintTool staticcheck with go1.19 and no staticcheck: install pinned to v0.4.7; a staticcheck in GOPATH/bin clears it', async () => {
    const s = scenario('gsd206');
    const mod = s.module('src/app', '1.19');
    s.userSettings('{ "go.lintTool": "staticcheck" }\n');
    const env = s.env([tc.binDir('1.19'), '/bin']);
    const d = await s.diagnose({ target: mod, env });
    const [f] = findingsOf(d.report, 'GSD206');
    assert.ok(f, explain(d));
    assert.deepEqual(fixCommands(f), [`${tc.go('1.19').bin} install -v honnef.co/go/tools/cmd/staticcheck@v0.4.7`]);
    // Healthy twin: a binary of that name where vscode-go looks first.
    const src = s.module('toolsrc', '1.19', { 'main.go': MAIN('staticcheck stand-in') });
    run([tc.go('1.19').bin, 'build', '-o', path.join(s.home, 'go', 'bin', 'staticcheck'), '.'], buildEnv(s), src);
    const again = await s.diagnose({ target: mod, env });
    assert.equal(again.snapshot.tools.find((t) => t.name === 'staticcheck')?.foundVia, 'gopath');
    assert.deepEqual(findingsOf(again.report, 'GSD206'), [], explain(again));
  });
});

const CLI = path.join(tc.ROOT, 'dist', 'cli.js');
const isRoot = process.getuid?.() === 0;
const canUnshareMount =
  isRoot && process.platform === 'linux' && spawnSync('unshare', ['-m', '--propagation', 'private', 'true']).status === 0;

describe('GSD209 tool-not-executable', { skip, concurrency: true }, () => {
  /** A real dlv copied to `file` with `mode`, configured as go.alternateTools.dlv in user settings. */
  function configuredDlv(s: Scenario, file: string, mode: number): void {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.copyFileSync(tc.dlv('v1.24.0').path, file);
    fs.chmodSync(file, mode);
    s.userSettings(`{\n  "go.alternateTools": { "dlv": ${JSON.stringify(file)} }\n}\n`);
  }

  test('go.alternateTools.dlv with mode 0644: finding, and its chmod fix run for real clears it', async () => {
    const s = scenario('gsd209');
    const mod = s.module('src/app', '1.24');
    const alt = s.path('tools', 'dlv');
    configuredDlv(s, alt, 0o644);
    const env = s.env([tc.binDir('1.24')]); // no /usr/bin: no other dlv
    const d = await s.diagnose({ target: mod, env });
    const lookup = d.snapshot.tools.find((t) => t.name === 'dlv');
    assert.equal(lookup?.path, undefined);
    assert.equal(lookup?.unusable?.[alt], 'a file without execute permission (mode 0644)');
    const [f] = findingsOf(d.report, 'GSD209');
    assert.ok(f, explain(d));
    assert.equal(f.severity, 'error');
    assert.ok(f.message.includes('(go.alternateTools.dlv) exists but cannot be executed'), f.message);
    assert.ok(f.message.includes('counts as missing'), f.message);
    const [cmd] = fixCommands(f);
    assert.equal(cmd, `chmod +x ${alt}`);
    run(['sh', '-c', cmd], { PATH: '/usr/bin:/bin' });
    const again = await s.diagnose({ target: mod, env });
    const after = again.snapshot.tools.find((t) => t.name === 'dlv');
    assert.equal(after?.path, alt);
    assert.equal(after?.foundVia, 'alternateTools');
    assert.match(after?.version?.stdout ?? '', /Version: 1\.24\.0/);
    assert.deepEqual(findingsOf(again.report, 'GSD209'), [], explain(again));
  });

  for (const noexec of [true, false]) {
    test(`dlv on a tmpfs mounted ${noexec ? 'noexec (mode 0755): the mount is named' : 'exec: healthy twin'}`, {
      skip: (!canUnshareMount && 'needs root and `unshare -m`') || (!fs.existsSync(CLI) && `${CLI} is missing: run bash scripts/build.sh`),
    }, () => {
      const s = scenario(noexec ? 'gsd209-noexec' : 'gsd209-exec');
      const mod = s.module('src/app', '1.24');
      const mnt = s.folder('mnt');
      const out = s.folder('out');
      const alt = path.join(mnt, 'dlv');
      s.userSettings(`{ "go.alternateTools": { "dlv": ${JSON.stringify(alt)} } }\n`);
      const env = { ...s.env([tc.binDir('1.24')]), GOTOOLCHAIN: 'local' };
      const script = `
        set -e
        /usr/bin/mount -t tmpfs -o ${noexec ? 'noexec,' : ''}nosuid,nodev,size=64m tmpfs '${mnt}'
        /usr/bin/cp '${tc.dlv('v1.24.0').path}' '${alt}' && /usr/bin/chmod 0755 '${alt}'
        '${alt}' version > '${out}/direct.txt' 2>&1 || echo "exit $?" >> '${out}/direct.txt'
        '${process.execPath}' '${CLI}' '${mod}' --json --no-cache --snapshot-out '${out}/snap.json' > '${out}/report.json' || true`;
      // Absolute paths: the PATH under test holds only go's bin dir.
      const r = spawnSync('/usr/bin/unshare', ['-m', '--propagation', 'private', '/bin/sh', '-c', script], { env, encoding: 'utf8', timeout: 120000 });
      assert.equal(r.status, 0, `${r.stdout}\n${r.stderr}`);
      const direct = fs.readFileSync(path.join(out, 'direct.txt'), 'utf8');
      const snap = JSON.parse(fs.readFileSync(path.join(out, 'snap.json'), 'utf8')) as import('../../extension/src/engine/generated/Snapshot').Snapshot;
      const report = JSON.parse(fs.readFileSync(path.join(out, 'report.json'), 'utf8')) as import('../../extension/src/engine/generated/Report').Report;
      const lookup = snap.tools.find((t) => t.name === 'dlv');
      const found = findingsOf(report, 'GSD209');
      if (!noexec) {
        assert.match(direct, /Version: 1\.24\.0/);
        assert.equal(lookup?.path, alt);
        assert.deepEqual(found, [], explain(report));
        return;
      }
      // The shell's own words for it, then the probe's.
      assert.match(direct, /Permission denied/);
      assert.equal(lookup?.path, undefined);
      assert.equal(lookup?.unusable?.[alt], `a file on a noexec mount (${mnt}; mode 0755)`);
      const [f] = found;
      assert.ok(f, explain(report));
      assert.ok(f.title.includes(`${mnt} is mounted noexec`), f.title);
      assert.deepEqual(fixCommands(f), [
        `GOBIN=${path.join(s.home, 'go')}/bin ${tc.go('1.24').bin} install github.com/go-delve/delve/cmd/dlv@latest`,
        `sudo mount -o remount,exec ${mnt}`,
      ]);
    });
  }
});

describe('GSD206: golangci-lint v1 binary with a v2 config (the v1/v2 trap)', { skip, concurrency: true }, () => {
  // The binary is a stand-in published as github.com/golangci/golangci-lint v1.64.8 in a local
  // file:// proxy (no network here): what matters is what `go version -m` says about it, which
  // is what vscode-go reads to pick v1 or v2 flags.
  function installV1(s: Scenario): string {
    const proxy = s.path('proxy');
    publish(s, proxy, 'github.com/golangci/golangci-lint', 'v1.64.8', 'cmd/golangci-lint');
    const bin = path.join(s.home, 'go', 'bin');
    run([tc.go('1.24').bin, 'install', 'github.com/golangci/golangci-lint/cmd/golangci-lint@v1.64.8'], buildEnv(s, { GOPROXY: `file://${proxy}`, GOBIN: bin }));
    return path.join(bin, 'golangci-lint');
  }

  for (const v2 of [true, false]) {
    test(v2 ? '.golangci.yml with version: "2": finding, settings switch to golangci-lint-v2' : 'healthy twin: a v1 config', async () => {
      const s = scenario(v2 ? 'gsd206-v2cfg' : 'gsd206-v1cfg');
      const mod = s.module('src/app', '1.24', {
        '.golangci.yml': v2 ? 'version: "2"\nlinters:\n  default: standard\n' : 'linters:\n  enable:\n    - govet\n',
      });
      const bin = installV1(s);
      const settingsFile = s.userSettings('{\n  // lint\n  "go.lintTool": "golangci-lint"\n}\n');
      const env = s.env([tc.binDir('1.24'), '/bin']);
      const d = await s.diagnose({ target: mod, env });
      assert.equal(d.snapshot.tools.find((t) => t.name === 'golangci-lint')?.path, bin);
      assert.equal(d.snapshot.workspace.folders[0].golangciConfig?.path, path.join(mod, '.golangci.yml'));
      assert.match(d.snapshot.toolsBuildInfo?.stdout ?? '', /\tmod\tgithub\.com\/golangci\/golangci-lint\tv1\.64\.8\t/);
      const found = findingsOf(d.report, 'GSD206');
      if (!v2) {
        assert.deepEqual(found, [], explain(d));
        return;
      }
      const [f] = found;
      assert.ok(f, explain(d));
      assert.ok(f.message.includes('you are using a configuration file for golangci-lint v2 with golangci-lint v1'), f.message);
      assert.ok(f.evidence.includes('go version -m ~/go/bin/golangci-lint: github.com/golangci/golangci-lint/cmd/golangci-lint v1.64.8'), f.evidence.join('\n'));
      assert.ok(fixCommands(f).some((c) => c.includes(`GOBIN="$tmp" ${tc.go('1.24').bin} install -v github.com/golangci/golangci-lint/v2/cmd/golangci-lint@latest`)), fixCommands(f).join('\n'));
      // After the switch the config matches what runs; golangci-lint-v2 itself is now missing (reported as such).
      const fixed = applyEditFix(editFix(f));
      assert.ok(fixed.includes('// lint') && fixed.includes('"go.lintTool": "golangci-lint-v2"'), fixed);
      const again = await s.diagnose({ target: mod, env });
      const after = findingsOf(again.report, 'GSD206');
      assert.equal(after.length, 1, explain(again));
      assert.ok(after[0].title.includes('golangci-lint-v2 is not installed'), after[0].title);
    });
  }
});
