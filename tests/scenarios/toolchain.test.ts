// GSD101 go-not-found, GSD103 goroot-mismatch, GSD105 go-env-failed, on real Go installs.
import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { runCommand } from '../../extension/src/gather/exec';
import { applyEditFix, explain, findingsOf, fixCommands, scenarioFactory } from '../helpers/scenario';
import * as tc from '../helpers/toolchains';

const skip = tc.skipScenarios;
const scenario = scenarioFactory();

describe('GSD101 go-not-found', { skip, concurrency: true }, () => {
  test('PATH without go: points at the installation found in a well-known dir, fix sets go.goroot for real', async () => {
    const s = scenario('gsd101-path');
    const mod = s.module('src/app');
    const userFile = s.userSettings('{\n  // my settings\n  "editor.tabSize": 2\n}\n');
    const env = s.env([s.folder('empty-bin'), '/usr/bin', '/bin']);
    const d = await s.diagnose({ target: mod, env });
    assert.equal(d.snapshot.go, undefined, 'no go may be chosen from a well-known dir');
    const [f] = findingsOf(d.report, 'GSD101');
    assert.ok(f, explain(d));
    assert.equal(f.severity, 'error');
    const wellKnown = d.snapshot.goCandidates.find((c) => c.source === 'wellKnown' && c.executable);
    assert.ok(wellKnown, 'the Debian installs under /usr/lib/go-* are well-known candidates');
    assert.ok(f.message.includes(`Go is installed at ${wellKnown.path}`), f.message);
    assert.ok(f.evidence.some((e) => e.startsWith('PATH=')), f.evidence.join('\n'));
    const root = path.dirname(path.dirname(wellKnown.realPath ?? wellKnown.path));
    assert.ok(fixCommands(f).includes(`~/.profile: export PATH="$PATH:${root}/bin"`), fixCommands(f).join('\n'));

    // The settings fix (needs review) edits the real user settings file; then go is found.
    const setGoroot = f.fixes.find((x) => x.title.includes('go.goroot'));
    assert.ok(setGoroot, f.fixes.map((x) => x.title).join('\n'));
    assert.equal(setGoroot.applicability, 'unsafe');
    assert.equal(setGoroot.actions[0].kind, 'editFile');
    const text = applyEditFix(setGoroot);
    assert.ok(text.includes('// my settings') && text.includes(`"go.goroot": "${root}"`), text);
    const again = await s.diagnose({ target: mod, env });
    assert.deepEqual(findingsOf(again.report, 'GSD101'), [], explain(again));
    assert.equal(again.snapshot.goCandidates[again.snapshot.go?.candidate ?? -1]?.source, 'gorootSetting');
  });

  test('go only in ~/sdk/go1.22 (a symlink to a real install): named in the message', async () => {
    const s = scenario('gsd101-sdk');
    s.link('home/sdk/go1.22', tc.go('1.22').goroot);
    const mod = s.module('src/app');
    const d = await s.diagnose({ target: mod, env: s.env([s.folder('empty-bin'), '/usr/bin', '/bin']) });
    const [f] = findingsOf(d.report, 'GSD101');
    assert.ok(f, explain(d));
    assert.ok(f.message.includes('Go is installed at ~/sdk/go1.22/bin/go'), f.message);
    const sdk = d.snapshot.goCandidates.find((c) => c.path === path.join(s.home, 'sdk/go1.22/bin/go'));
    assert.equal(sdk?.source, 'wellKnown');
    assert.equal(sdk?.realPath, tc.go('1.22').bin);
    assert.match(sdk?.version?.stdout ?? '', /^go version go1\.22\./);
    // Deduplicated by realpath: /usr/lib/go-1.22/bin/go is the same binary, listed once.
    assert.equal(d.snapshot.goCandidates.filter((c) => c.realPath === tc.go('1.22').bin).length, 1);
  });

  test('healthy: go on PATH', async () => {
    const s = scenario('gsd101-ok');
    const mod = s.module('src/app');
    const d = await s.diagnose({ target: mod, env: s.env([tc.binDir('1.22'), '/usr/bin', '/bin']) });
    assert.deepEqual(findingsOf(d.report, 'GSD101'), []);
    const inUse = d.snapshot.goCandidates[d.snapshot.go?.candidate ?? -1];
    assert.equal(inUse?.path, tc.go('1.22').bin);
    assert.equal(inUse?.source, 'path');
    assert.match(d.snapshot.go?.version?.stdout ?? '', /go1\.22\.12/);
    assert.equal(d.snapshot.go?.env?.exitCode, 0);
  });
});

describe('GSD103 goroot-mismatch', { skip, concurrency: true }, () => {
  test('GOROOT=/usr/lib/go-1.19 in env with go1.24 chosen by go.alternateTools.go', async () => {
    const s = scenario('gsd103-env');
    const mod = s.module('src/app');
    s.userSettings(`{\n  "go.alternateTools": { "go": "${tc.go('1.24').bin}" }\n}\n`);
    const env = s.env([tc.binDir('1.24'), '/usr/bin', '/bin'], { GOROOT: tc.go('1.19').goroot });
    const d = await s.diagnose({ target: mod, env });
    const [f] = findingsOf(d.report, 'GSD103');
    assert.ok(f, explain(d));
    assert.equal(f.severity, 'error');
    assert.ok(f.message.includes(`whose own root is ${tc.go('1.24').goroot}`), f.message);
    assert.ok(f.message.includes(`but GOROOT is ${tc.go('1.19').goroot}`), f.message);
    assert.ok(f.evidence.includes(`go env GOROOT: ${tc.go('1.19').goroot}`), f.evidence.join('\n'));
    assert.ok(f.evidence.some((e) => e.includes('set in the environment VS Code was started with')), f.evidence.join('\n'));
    assert.equal(f.fixes[0]?.applicability, 'displayOnly');
    assert.ok(fixCommands(f).includes('unset GOROOT'));
  });

  test('GOROOT in env alone: vscode-go picks $GOROOT/bin/go before PATH, so go and GOROOT agree', async () => {
    const s = scenario('gsd103-order');
    const mod = s.module('src/app');
    const d = await s.diagnose({ target: mod, env: s.env([tc.binDir('1.24'), '/usr/bin', '/bin'], { GOROOT: tc.go('1.19').goroot }) });
    const [first, second] = d.snapshot.goCandidates;
    assert.deepEqual([first.source, first.path], ['gorootEnv', tc.go('1.19').bin]);
    assert.deepEqual([second.source, second.path], ['path', tc.go('1.24').bin]);
    assert.equal(d.snapshot.go?.candidate, 0);
    assert.deepEqual(findingsOf(d.report, 'GSD103'), [], explain(d));
  });

  test('via go.toolsEnvVars in .vscode/settings.json: apply the fix to the real file, finding gone, comments intact', async () => {
    const s = scenario('gsd103-tools-env');
    const mod = s.module('src/app');
    const settings = s.folderSettings(
      mod,
      `{
  // team settings: keep this comment
  "editor.formatOnSave": true,
  "go.toolsEnvVars": {
    "GOROOT": "${tc.go('1.19').goroot}", // old install
    "GOFLAGS": "-mod=mod"
  }
}
`,
    );
    const env = s.env([tc.binDir('1.24'), '/usr/bin', '/bin']);
    const d = await s.diagnose({ target: mod, env });
    assert.equal(d.snapshot.go?.env?.envOverrides.GOROOT, tc.go('1.19').goroot, 'go env ran with the tools env');
    const [f] = findingsOf(d.report, 'GSD103');
    assert.ok(f, explain(d));
    assert.ok(f.evidence.includes('set by go.toolsEnvVars.GOROOT in folder settings'), f.evidence.join('\n'));
    assert.equal(f.location?.uri, `file://${settings}`);
    assert.equal(f.location?.range.start.line, 3);
    const fix = f.fixes.find((x) => x.actions.some((a) => a.kind === 'editFile'));
    assert.ok(fix, 'an edit fix');
    assert.equal(fix.applicability, 'unsafe');
    const text = applyEditFix(fix);
    assert.ok(text.includes('// team settings: keep this comment'), text);
    assert.ok(text.includes('"GOFLAGS": "-mod=mod"') && !text.includes('GOROOT'), text);
    const again = await s.diagnose({ target: mod, env });
    assert.deepEqual(findingsOf(again.report, 'GSD103'), [], explain(again));
    assert.equal(again.snapshot.go?.env?.envOverrides.GOFLAGS, '-mod=mod');
  });

  test('healthy: GOROOT set to the go binary’s own root', async () => {
    const s = scenario('gsd103-ok');
    const mod = s.module('src/app');
    const d = await s.diagnose({ target: mod, env: s.env([tc.binDir('1.24'), '/usr/bin', '/bin'], { GOROOT: tc.go('1.24').goroot }) });
    assert.deepEqual(findingsOf(d.report, 'GSD103'), [], explain(d));
  });
});

describe('GSD105 go-env-failed', { skip, concurrency: true }, () => {
  const verbatim = 'go: parsing $GOFLAGS: unknown flag -notaflag';

  test('GOFLAGS=-notaflag in the environment', async () => {
    const s = scenario('gsd105-env');
    const mod = s.module('src/app');
    const d = await s.diagnose({ target: mod, env: s.env([tc.binDir('1.24'), '/usr/bin', '/bin'], { GOFLAGS: '-notaflag' }) });
    assert.equal(d.snapshot.go?.version?.exitCode, 1);
    const [f] = findingsOf(d.report, 'GSD105');
    assert.ok(f, explain(d));
    assert.equal(f.severity, 'error');
    assert.ok(f.message.includes(verbatim), f.message);
    assert.ok(f.evidence.includes(verbatim), f.evidence.join('\n'));
    assert.ok(f.evidence.some((e) => e.includes('GOFLAGS=-notaflag is set in the environment')), f.evidence.join('\n'));
    assert.ok(fixCommands(f).includes('unset GOFLAGS'));
  });

  test('GOFLAGS written by `go env -w` into a GOENV file: found, then fixed with the offered command', async () => {
    const s = scenario('gsd105-goenv');
    const mod = s.module('src/app');
    const goenv = s.path('config', 'go-env');
    const env = s.env([tc.binDir('1.24'), '/usr/bin', '/bin'], { GOENV: goenv });
    const w = await runCommand([tc.go('1.24').bin, 'env', '-w', 'GOFLAGS=-notaflag'], { env, timeoutMs: 10000 });
    assert.equal(w.exitCode, 0, w.stderr);
    const d = await s.diagnose({ target: mod, env });
    assert.deepEqual(d.snapshot.goEnvFile, { path: goenv, text: 'GOFLAGS=-notaflag\n' });
    const [f] = findingsOf(d.report, 'GSD105');
    assert.ok(f, explain(d));
    assert.ok(f.message.includes(verbatim), f.message);
    assert.ok(f.evidence.some((e) => e.includes('`GOFLAGS=-notaflag` is in the go env file')), f.evidence.join('\n'));
    const cmd = `${tc.go('1.24').bin} env -u GOFLAGS`;
    assert.ok(fixCommands(f).includes(cmd), fixCommands(f).join('\n'));
    const u = await runCommand(cmd.split(' '), { env, timeoutMs: 10000 });
    assert.equal(u.exitCode, 0, u.stderr);
    const again = await s.diagnose({ target: mod, env });
    assert.deepEqual(findingsOf(again.report, 'GSD105'), [], explain(again));
  });

  test('healthy: no GOFLAGS', async () => {
    const s = scenario('gsd105-ok');
    const mod = s.module('src/app');
    const d = await s.diagnose({ target: mod, env: s.env([tc.binDir('1.24'), '/usr/bin', '/bin']) });
    assert.deepEqual(findingsOf(d.report, 'GSD105'), [], explain(d));
  });
});
