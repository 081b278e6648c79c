// GSD110 gui-path-differs (and GSD101 go-not-found taking over when VS Code finds no go) and GSD310 tools-env-conflict on real login shells (bash, zsh, fish,
// dash: whichever are installed) reading real profile files in a temp HOME, with real Go
// toolchains; and a hanging / exiting profile (GSD901, checks skipped, no crash).
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { BEGIN, END } from '../../extension/src/gather/probes/loginShell';
import { applyEditFix, explain, findingsOf, fixCommands, Scenario, scenarioFactory } from '../helpers/scenario';
import * as tc from '../helpers/toolchains';

const skip = tc.skipScenarios;
const scenario = scenarioFactory();

/** Each shell with the profile file its login shell reads and how to prepend a dir to PATH there. */
const SHELLS: { shell: string; file: string; line: (dir: string) => string; exportVar: (k: string, v: string) => string }[] = [
  { shell: '/bin/bash', file: '.profile', line: (d) => `export PATH="${d}:$PATH"`, exportVar: (k, v) => `export ${k}=${v}` },
  { shell: '/bin/dash', file: '.profile', line: (d) => `export PATH="${d}:$PATH"`, exportVar: (k, v) => `export ${k}=${v}` },
  { shell: '/usr/bin/zsh', file: '.zprofile', line: (d) => `export PATH="${d}:$PATH"`, exportVar: (k, v) => `export ${k}=${v}` },
  { shell: '/usr/bin/fish', file: '.config/fish/config.fish', line: (d) => `fish_add_path --prepend ${d}`, exportVar: (k, v) => `set -gx ${k} ${v}` },
];

describe('GSD110 gui-path-differs (real login shells)', { skip, concurrency: true }, () => {
  for (const sh of SHELLS) {
    const missing = fs.existsSync(sh.shell) ? false : `${sh.shell} is not installed`;
    test(`${path.basename(sh.shell)}: the profile puts go1.24 on PATH, VS Code's PATH lacks it and runs go1.22`, { skip: missing }, async () => {
      const s = scenario(`gsd110-${path.basename(sh.shell)}`);
      const mod = s.module('src/app', '1.22');
      // A banner before the PATH line: the probe's markers must survive it.
      s.write(path.join(s.home, sh.file), `echo "Welcome to $(hostname)"\n${sh.line(tc.binDir('1.24'))}\n`);
      const userFile = s.userSettings('{\n  // mine\n  "editor.tabSize": 2\n}\n');
      const env = s.env([tc.binDir('1.22'), '/usr/bin', '/bin'], { SHELL: sh.shell });
      const d = await s.diagnose({ target: mod, env });
      const run = d.snapshot.loginShell;
      assert.ok(run, 'the login shell ran');
      assert.deepEqual(run.argv.slice(0, 4), [sh.shell, '-i', '-l', '-c']);
      assert.equal(run.exitCode, 0, run.stderr);
      assert.ok(run.stdout.includes('Welcome to') && run.stdout.includes(BEGIN) && run.stdout.includes(END), run.stdout);
      assert.equal(run.cwd, mod, 'a trusted workspace: the shell starts in the folder');
      assert.match(d.snapshot.go?.version?.stdout ?? '', /go1\.22\./, 'VS Code itself runs go1.22');

      const [f] = findingsOf(d.report, 'GSD110');
      assert.ok(f, explain(d));
      assert.equal(f.severity, 'warning');
      assert.ok(f.title.includes(tc.binDir('1.24')), f.title);
      assert.ok(f.message.includes(`The terminal runs ${tc.go('1.24').bin}, VS Code runs ${tc.go('1.22').bin}.`), f.message);
      assert.ok(
        f.evidence.includes(`login shell (${sh.shell} -i -l): go -> ${tc.go('1.24').bin} (go version ${tc.go('1.24').version} linux/amd64)`),
        f.evidence.join('\n'),
      );
      assert.ok(f.evidence.includes(`VS Code: go -> ${tc.go('1.22').bin}`), f.evidence.join('\n'));
      assert.ok(fixCommands(f).includes(`~/.profile: export PATH="${tc.binDir('1.24')}:$PATH"`), fixCommands(f).join('\n'));
      assert.deepEqual(findingsOf(d.report, 'GSD101'), [], 'VS Code has a go: not go-not-found');

      // The settings quick fix (go.goroot = the terminal go's own GOROOT), applied to the real file.
      const fix = f.fixes.find((x) => x.title.includes('go.goroot'));
      assert.ok(fix, f.fixes.map((x) => x.title).join('\n'));
      assert.equal(fix.applicability, 'unsafe');
      assert.equal(fix.actions[0].kind, 'editFile');
      const text = applyEditFix(fix);
      assert.ok(text.includes('// mine') && text.includes(`"go.goroot": "${tc.go('1.24').goroot}"`), text);
      const again = await s.diagnose({ target: mod, env });
      assert.deepEqual(findingsOf(again.report, 'GSD110'), [], explain(again));
      assert.match(again.snapshot.go?.version?.stdout ?? '', /go1\.24\./);
    });

    test(`${path.basename(sh.shell)}: the same profile, VS Code finds no go at all: one finding, GSD101, naming the terminal's go`, { skip: missing }, async () => {
      const s = scenario(`gsd101-${path.basename(sh.shell)}`);
      const mod = s.module('src/app', '1.24');
      s.write(path.join(s.home, sh.file), `${sh.line(tc.binDir('1.24'))}\n`);
      const userFile = s.userSettings('{\n  // mine\n  "editor.tabSize": 2\n}\n');
      const env = s.env(['/usr/bin', '/bin'], { SHELL: sh.shell });
      const d = await s.diagnose({ target: mod, env });
      assert.equal(d.snapshot.go, undefined, 'VS Code itself finds no go on /usr/bin:/bin');

      // GSD101 names the terminal's go1.24, not the older Debian installs its well-known-dirs scan
      // finds under /usr/lib/go-*, with the profile line and go.goroot.
      const [notFound] = findingsOf(d.report, 'GSD101');
      assert.ok(notFound, explain(d));
      assert.ok(notFound.message.includes(`your login shell runs ${tc.go('1.24').bin} (go version ${tc.go('1.24').version} linux/amd64)`), notFound.message);
      assert.ok(fixCommands(notFound).includes(`~/.profile: export PATH="${tc.binDir('1.24')}:$PATH"`), fixCommands(notFound).join('\n'));
      // GSD110 would say the same about go: it steps aside and says where it is reported.
      assert.deepEqual(findingsOf(d.report, 'GSD110'), [], explain(d));
      const c110 = d.report.checks.find((c) => c.code === 'GSD110');
      assert.equal(c110?.status, 'skipped');
      assert.ok(c110?.reason?.includes('GSD101'), c110?.reason);

      const fix = notFound.fixes.find((x) => x.title.includes('go.goroot'));
      const action = fix?.actions[0];
      assert.ok(action?.kind === 'editFile' && action.edits[0]?.newText.includes(`"${tc.go('1.24').goroot}"`), JSON.stringify(fix));
      applyEditFix(fix);
      const again = await s.diagnose({ target: mod, env });
      assert.deepEqual([...findingsOf(again.report, 'GSD101'), ...findingsOf(again.report, 'GSD110')], [], explain(again));
      assert.match(again.snapshot.go?.version?.stdout ?? '', /go1\.24\./);
      assert.ok(fs.readFileSync(userFile, 'utf8').includes('// mine'));
    });
  }

  test('healthy twin: the same profile, VS Code started with the same PATH', async () => {
    const s = scenario('gsd110-ok');
    const mod = s.module('src/app', '1.24');
    s.write(path.join(s.home, '.profile'), `export PATH="${tc.binDir('1.24')}:$PATH"\n`);
    const d = await s.diagnose({ target: mod, env: s.env([tc.binDir('1.24'), '/usr/bin', '/bin']) });
    assert.ok(d.snapshot.loginShell?.stdout.includes(`which go=${tc.go('1.24').bin}`), d.snapshot.loginShell?.stdout);
    assert.deepEqual(findingsOf(d.report, 'GSD110'), [], explain(d));
    assert.equal(d.report.checks.find((c) => c.code === 'GSD110')?.status, 'passed');
  });

  test('untrusted workspace: the login shell starts in HOME, not in the folder', async () => {
    const s = scenario('gsd110-untrusted');
    const mod = s.module('src/app', '1.24');
    const d = await s.diagnose({ target: mod, env: s.env([tc.binDir('1.24'), '/usr/bin', '/bin']), trusted: false });
    assert.equal(d.snapshot.loginShell?.cwd, s.home);
  });
});

describe('GSD310 tools-env-conflict (real login shell)', { skip, concurrency: true }, () => {
  test('go.toolsEnvVars GOFLAGS differs from the profile export; aligning it clears the finding', async () => {
    const s = scenario('gsd310');
    const mod = s.module('src/app', '1.24');
    s.write(path.join(s.home, '.profile'), `export PATH="${tc.binDir('1.24')}:$PATH"\nexport GOFLAGS=-mod=mod\n`);
    const userFile = s.userSettings('{\n  // editor-only tags\n  "go.toolsEnvVars": {\n    "GOFLAGS": "-tags=integration",\n    "CGO_ENABLED": "0"\n  }\n}\n');
    const env = s.env([tc.binDir('1.24'), '/usr/bin', '/bin']);
    const d = await s.diagnose({ target: mod, env });
    assert.match(d.snapshot.go?.env?.stdout ?? '', /"GOFLAGS": "-tags=integration"/, 'go env ran with the setting');
    const [f] = findingsOf(d.report, 'GSD310');
    assert.ok(f, explain(d));
    assert.equal(f.title, 'go.toolsEnvVars sets GOFLAGS=-tags=integration but the terminal has GOFLAGS=-mod=mod');
    assert.ok(f.evidence.includes('terminal: GOFLAGS=-mod=mod (the login shell (/bin/bash -i -l))'), f.evidence.join('\n'));
    assert.ok(f.location?.uri.endsWith('/User/settings.json'), JSON.stringify(f.location));
    assert.deepEqual(findingsOf(d.report, 'GSD110'), [], 'PATHs agree');

    const fix = f.fixes[0];
    assert.equal(fix.applicability, 'unsafe');
    assert.equal(fix.actions[0].kind, 'editFile');
    const text = applyEditFix(fix);
    assert.ok(text.includes('// editor-only tags') && text.includes('"GOFLAGS": "-mod=mod"') && text.includes('"CGO_ENABLED": "0"'), text);
    const again = await s.diagnose({ target: mod, env });
    assert.deepEqual(findingsOf(again.report, 'GSD310'), [], explain(again));
  });

  test('healthy twin: the same GOFLAGS in both places', async () => {
    const s = scenario('gsd310-ok');
    const mod = s.module('src/app', '1.24');
    s.write(path.join(s.home, '.profile'), `export PATH="${tc.binDir('1.24')}:$PATH"\nexport GOFLAGS=-mod=mod\n`);
    s.userSettings('{"go.toolsEnvVars": {"GOFLAGS": "-mod=mod"}}');
    const d = await s.diagnose({ target: mod, env: s.env([tc.binDir('1.24'), '/usr/bin', '/bin']) });
    assert.deepEqual(findingsOf(d.report, 'GSD310'), [], explain(d));
    assert.equal(d.report.checks.find((c) => c.code === 'GSD310')?.status, 'passed');
  });

  test('go.toolsEnvVars GO111MODULE=off and GOFLAGS=mod=vendor: wrong in themselves, so their own rules report them, once', async () => {
    const s = scenario('gsd310-leftovers');
    const mod = s.module('src/app', '1.24');
    s.write(path.join(s.home, '.profile'), `export PATH="${tc.binDir('1.24')}:$PATH"\n`);
    s.userSettings('{\n  // from a 2019 tutorial\n  "go.toolsEnvVars": {"GO111MODULE": "off"}\n}\n');
    const env = s.env([tc.binDir('1.24'), '/usr/bin', '/bin']);
    const d = await s.diagnose({ target: mod, env });
    // The terminal has no GO111MODULE, so it differs; but the value breaks the module itself.
    const [f] = findingsOf(d.report, 'GSD404');
    assert.ok(f, explain(d));
    assert.equal(f.title, 'GO111MODULE=off: the go.mod is ignored');
    assert.ok(f.fixes.some((x) => x.title === 'Remove GO111MODULE from go.toolsEnvVars (user settings)'), f.fixes.map((x) => x.title).join('\n'));
    for (const [code, names] of [['GSD310', 'GSD404'], ['GSD501', 'GSD404']] as const) {
      assert.deepEqual(findingsOf(d.report, code), [], explain(d));
      const c = d.report.checks.find((x) => x.code === code);
      assert.equal(c?.status, 'skipped', code);
      assert.ok(c?.reason?.includes(names), `${code}: ${c?.reason}`);
    }
    // The fix (GSD404's edit) applied to the real file clears all three.
    const text = applyEditFix(f.fixes.find((x) => x.title.startsWith('Remove GO111MODULE')));
    assert.ok(text.includes('// from a 2019 tutorial') && !text.includes('GO111MODULE'), text);
    const again = await s.diagnose({ target: mod, env });
    for (const code of ['GSD404', 'GSD310', 'GSD501']) assert.deepEqual(findingsOf(again.report, code), [], explain(again));

    // GOFLAGS=mod=vendor (no dash): real go1.24 refuses it; GSD105 says so in its words, not GSD310.
    s.userSettings('{"go.toolsEnvVars": {"GOFLAGS": "mod=vendor"}}');
    const bad = await s.diagnose({ target: mod, env });
    const reported = [...findingsOf(bad.report, 'GSD105'), ...findingsOf(bad.report, 'GSD503')];
    assert.equal(reported.length, 1, explain(bad));
    assert.ok(`${reported[0].message}\n${reported[0].evidence.join('\n')}`.includes('go: parsing $GOFLAGS: non-flag "mod=vendor"'), explain(bad));
    assert.deepEqual(findingsOf(bad.report, 'GSD310'), [], explain(bad));
    assert.equal(bad.report.checks.find((x) => x.code === 'GSD310')?.status, 'skipped');
  });
});

describe('login shell that misbehaves', { skip, concurrency: true }, () => {
  test('a profile that hangs: killed at the timeout, GSD901 names it, GSD110 skipped', async () => {
    const s = scenario('shell-hang');
    const mod = s.module('src/app', '1.24');
    s.write(path.join(s.home, '.profile'), 'sleep 30\n');
    const d = await s.diagnose({ target: mod, env: s.env([tc.binDir('1.24'), '/usr/bin', '/bin']), gather: { loginShellTimeoutMs: 400 } });
    assert.equal(d.snapshot.loginShell?.timedOut, true);
    const f = findingsOf(d.report, 'GSD901').find((x) => x.title.startsWith('`/bin/bash -i -l -c'));
    assert.ok(f, explain(d));
    assert.ok(f.title.includes('did not finish within 400 ms'), f.title);
    const c = d.report.checks.find((x) => x.code === 'GSD110');
    assert.equal(c?.status, 'skipped');
    assert.ok(c?.reason?.includes('did not complete'), c?.reason);
  });

  test('a profile that exits: no result, the checks say why', async () => {
    const s = scenario('shell-exit');
    const mod = s.module('src/app', '1.24');
    s.write(path.join(s.home, '.profile'), 'echo bye\nexit 3\n');
    const d = await s.diagnose({ target: mod, env: s.env([tc.binDir('1.24'), '/usr/bin', '/bin']) });
    assert.equal(d.snapshot.loginShell?.exitCode, 3);
    const c = d.report.checks.find((x) => x.code === 'GSD110');
    assert.equal(c?.status, 'skipped');
    assert.ok(c?.reason?.includes('printed no result (exit code 3)'), c?.reason);
  });

  test('an unsupported shell is not run, and says so', async () => {
    const s = scenario('shell-csh');
    const mod = s.module('src/app', '1.24');
    const d = await s.diagnose({ target: mod, env: s.env([tc.binDir('1.24'), '/usr/bin', '/bin'], { SHELL: '/bin/tcsh' }) });
    assert.equal(d.snapshot.loginShell, undefined);
    assert.ok(d.snapshot.skippedProbes.some((p) => p.probe === 'loginShell' && p.reason.includes('/bin/tcsh')), JSON.stringify(d.snapshot.skippedProbes));
  });
});

// GSD111 on a real mise (its npm package ships the binary: `npm install --prefix <dir>
// @jdxcode/mise`; point GSD_MISE_BIN at <dir>/node_modules/@jdxcode/mise/bin/mise, or put `mise`
// on PATH). mise runs with its own data/config dirs in the temp tree and MISE_OFFLINE=1, so it
// never reaches the network; go1.24 is a real toolchain linked into it with `mise link`.
function findMise(): string | undefined {
  const fromEnv = process.env.GSD_MISE_BIN;
  if (fromEnv) return fs.existsSync(fromEnv) ? fromEnv : undefined;
  // Where scripts/install-go-toolchains.sh puts it.
  const installed = path.join(tc.ROOT, '.cache', 'toolchains', 'mise', 'node_modules', '@jdxcode', 'mise-linux-x64', 'bin', 'mise');
  if (fs.existsSync(installed)) return installed;
  for (const d of (process.env.PATH ?? '').split(':')) {
    if (d && fs.existsSync(path.join(d, 'mise'))) return path.join(d, 'mise');
  }
  return undefined;
}
const mise = findMise();
const noMise = mise ? false : 'no mise binary (set GSD_MISE_BIN or put mise on PATH)';

describe('GSD111 version-manager-shim (real mise)', { skip: skip || noMise, concurrency: true }, () => {
  function miseSetup(s: Scenario): { env: NodeJS.ProcessEnv; shims: string; run: (cmd: string, cwd: string) => string } {
    const dirs = { MISE_DATA_DIR: s.path('mise/data'), MISE_CONFIG_DIR: s.path('mise/config'), MISE_CACHE_DIR: s.path('mise/cache'), MISE_STATE_DIR: s.path('mise/state') };
    const shims = path.join(dirs.MISE_DATA_DIR, 'shims');
    const env = s.env([shims, '/usr/bin', '/bin'], { ...dirs, MISE_OFFLINE: '1' });
    const miseDir = path.dirname(mise as string);
    const run = (cmd: string, cwd: string) =>
      execFileSync('/bin/sh', ['-c', cmd], { cwd, env: { ...env, PATH: `${miseDir}:${env.PATH}` }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 60000 });
    run(`mise link go@${tc.go('1.24').version.replace(/^go/, '')} ${tc.go('1.24').goroot} && mise reshim`, s.root);
    assert.ok(fs.lstatSync(path.join(shims, 'go')).isSymbolicLink(), 'mise made its go shim');
    return { env, shims, run };
  }

  test('no version set for the shim in the workspace: the real mise error, fix `mise use` run for real', async () => {
    const s = scenario('gsd111-mise');
    const { env, shims, run } = miseSetup(s);
    const mod = s.module('src/app', '1.24');
    const d = await s.diagnose({ target: mod, env });
    const inUse = d.snapshot.goCandidates[d.snapshot.go?.candidate ?? -1];
    assert.equal(inUse?.path, path.join(shims, 'go'));
    assert.equal(path.basename(inUse?.realPath ?? ''), 'mise', 'the shim is a symlink to the mise binary');
    assert.match(inUse?.version?.stderr ?? '', /mise ERROR No version is set for shim: go/);

    const [f] = findingsOf(d.report, 'GSD111');
    assert.ok(f, explain(d));
    assert.equal(f.severity, 'error');
    assert.deepEqual(findingsOf(d.report, 'GSD105'), [], 'one cause, one finding: GSD105 leaves the failing shim to GSD111');
    assert.equal(f.title, `The mise shim for go fails in ${mod}`);
    assert.ok(f.message.includes('it fails: mise ERROR No version is set for shim: go.'), f.message);
    assert.ok(f.evidence.includes('  mise ERROR No version is set for shim: go'), f.evidence.join('\n'));
    assert.ok(f.evidence.some((e) => e.startsWith('no pin file for mise in')), f.evidence.join('\n'));
    const version = tc.go('1.24').version.replace(/^go/, '');
    const pin = f.fixes[0]?.actions[0];
    assert.ok(pin && pin.kind === 'runShell', JSON.stringify(f.fixes));
    if (pin.kind !== 'runShell') return;
    assert.equal(pin.command, `mise use go@${version}`);
    assert.equal(pin.cwd, mod);

    // Run the fix as the user would, in the folder: mise writes mise.toml; the shim resolves.
    run(pin.command, pin.cwd ?? mod);
    assert.match(fs.readFileSync(path.join(mod, 'mise.toml'), 'utf8'), new RegExp(`go = "${version.replace(/\./g, '\\.')}"`));
    const again = await s.diagnose({ target: mod, env });
    assert.deepEqual(findingsOf(again.report, 'GSD111'), [], explain(again));
    assert.match(again.snapshot.go?.version?.stdout ?? '', new RegExp(`go version ${tc.go('1.24').version} `));
    assert.ok(again.snapshot.versionFiles?.some((v) => v.path === path.join(mod, 'mise.toml')), JSON.stringify(again.snapshot.versionFiles));
  });

  test("MISE_GO_VERSION in VS Code's environment overrides the pin: the shim runs another Go than mise.toml says", async () => {
    const s = scenario('gsd111-mise-env');
    const { env, run } = miseSetup(s);
    const v122 = tc.go('1.22').version.replace(/^go/, '');
    run(`mise link go@${v122} ${tc.go('1.22').goroot}`, s.root);
    const mod = s.module('src/app', '1.22', { 'mise.toml': `[tools]\ngo = "${v122}"\n` });
    const v124 = tc.go('1.24').version.replace(/^go/, '');
    const d = await s.diagnose({ target: mod, env: { ...env, MISE_GO_VERSION: v124 } });
    assert.match(d.snapshot.go?.version?.stdout ?? '', new RegExp(`go version ${tc.go('1.24').version} `), 'the shim followed the variable');
    const [f] = findingsOf(d.report, 'GSD111');
    assert.ok(f, explain(d));
    assert.equal(f.severity, 'warning');
    assert.equal(f.title, `mise shim runs ${tc.go('1.24').version} but mise.toml pins ${v122}`);
    assert.ok(f.evidence.includes(`MISE_GO_VERSION=${v124} is set in VS Code's environment and overrides the pin files`), f.evidence.join('\n'));
    assert.ok(fixCommands(f).includes('unset MISE_GO_VERSION'), fixCommands(f).join('\n'));
    // Without the variable (the fix) the same shim honours the pin.
    const twin = await s.diagnose({ target: mod, env });
    assert.deepEqual(findingsOf(twin.report, 'GSD111'), [], explain(twin));
    assert.match(twin.snapshot.go?.version?.stdout ?? '', new RegExp(`go version ${tc.go('1.22').version} `));
  });

  test('healthy twin: mise.toml pins the linked version', async () => {
    const s = scenario('gsd111-mise-ok');
    const { env } = miseSetup(s);
    const mod = s.module('src/app', '1.24', { 'mise.toml': `[tools]\ngo = "${tc.go('1.24').version.replace(/^go/, '')}"\n` });
    const d = await s.diagnose({ target: mod, env });
    assert.deepEqual(findingsOf(d.report, 'GSD111'), [], explain(d));
    assert.equal(d.report.checks.find((c) => c.code === 'GSD111')?.status, 'passed');
  });
});
