// gatherSnapshot with a fake exec: lookup order, environments, trust, which commands run.
// Binaries are real files with the execute bit (so the fs checks are real) that are never run.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import type { CommandRun } from '../../extension/src/engine/generated/CommandRun';
import type { SettingsLayer } from '../../extension/src/engine/generated/SettingsLayer';
import { chooseGo, type GoCandidateInfo } from '../../extension/src/gather/probes/go';
import { findTool } from '../../extension/src/gather/probes/tools';
import { allowListEnv, defaultGoEnvFile, substituteEnv } from '../../extension/src/gather/env';
import type { Exec, RunOptions } from '../../extension/src/gather/exec';
import { Settings } from '../../extension/src/gather/layers';
import { gatherSnapshot } from '../../extension/src/gather/snapshot';

const tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'gsd-gather-')));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

function file(rel: string, text = '#!/bin/sh\nexit 99\n', mode = 0o755): string {
  const p = path.join(tmp, rel);
  fs.mkdirSync(path.dirname(p), { recursive: true });
  fs.writeFileSync(p, text, { mode });
  fs.chmodSync(p, mode);
  return p;
}
function layer(scope: SettingsLayer['scope'], text: string, folder?: string): SettingsLayer {
  const l: SettingsLayer = { scope, uri: pathToFileURL(path.join(tmp, `${scope}-${Math.random()}.json`)).href, text };
  if (folder) l.folder = pathToFileURL(folder).href;
  return l;
}

interface Call {
  argv: string[];
  opts: RunOptions;
}
/** A fake exec answering like a go1.22 toolchain and its tools; records every call. */
function fakeExec(goEnv: Record<string, string>, calls: Call[]): Exec {
  return async (argv, opts) => {
    calls.push({ argv, opts });
    const ok = (stdout: string): CommandRun => ({
      argv,
      envOverrides: {},
      stdout,
      stderr: '',
      exitCode: 0,
      timedOut: false,
      timeoutMs: opts.timeoutMs,
      truncated: false,
      durationMs: 1,
    });
    const [bin, ...args] = argv;
    if (args[0] === 'version' && args[1] === '-m') return ok(args.slice(2).map((b) => `${b}: go1.22.12\n\tpath\tx\n`).join(''));
    if (path.basename(bin) === 'go' && args[0] === 'version') return ok('go version go1.22.12 linux/amd64\n');
    if (path.basename(bin) === 'go' && args[0] === 'env') return ok(JSON.stringify(goEnv));
    if (path.basename(bin) === 'gopls') return ok('{"GoVersion": "go1.22.12", "Version": "v0.16.1"}');
    return ok('Delve Debugger\nVersion: 1.22.0\n');
  };
}

describe('gatherSnapshot (fake exec)', () => {
  const home = path.join(tmp, 'home');
  const folder = path.join(tmp, 'proj');
  fs.mkdirSync(folder, { recursive: true });
  fs.writeFileSync(path.join(folder, 'go.mod'), 'module x\n\ngo 1.22\n');
  const altGo = file('alt/bin/go');
  const settingGo = file('setting-root/bin/go');
  const envRootGo = file('env-root/bin/go');
  const pathGo = file('pathdir/bin/go');
  fs.mkdirSync(path.join(home, 'sdk'), { recursive: true });
  const sdkNew = file('home/sdk/go1.21.0/bin/go');
  const sdkOld = file('home/sdk/go1.9/bin/go');
  fs.symlinkSync(path.join(tmp, 'pathdir'), path.join(home, 'sdk', 'go1.5'));
  const notExec = file('noexec/bin/go', 'x', 0o644);
  const goenvFile = file('cfg/go/env', 'GOFLAGS=-mod=mod\n', 0o644);
  const goEnv = {
    GOROOT: path.join(tmp, 'env-root'),
    GOPATH: [path.join(tmp, 'gp1'), path.join(tmp, 'gp2')].join(':'),
    GOBIN: path.join(tmp, 'gobin'),
    GOENV: goenvFile,
  };
  const gopls = file('gp2/bin/gopls');
  const dlv = file('pathdir/bin/dlv');
  const env = {
    HOME: home,
    PATH: [path.join(tmp, 'noexec/bin'), path.join(tmp, 'pathdir/bin'), '/usr/bin'].join(':'),
    GOROOT: path.join(tmp, 'env-root'),
    SECRET_TOKEN: 'nope',
    https_proxy: 'http://proxy:3128',
    MY_DIR: path.join(tmp, 'from-env'),
  };

  test('every go in vscode-go order, deduplicated by realpath; the first usable one runs', async () => {
    const calls: Call[] = [];
    const layers = [
      layer('user', `{ "go.alternateTools": { "go": "${altGo}" }, "go.goroot": "${path.join(tmp, 'setting-root')}" }`),
      layer('workspaceFolder', '{ "go.toolsEnvVars": { "GOFLAGS": "-mod=mod", "X": "${env:MY_DIR}/x" } }', folder),
    ];
    const snap = await gatherSnapshot({ folders: [folder], layers, env, exec: fakeExec(goEnv, calls), platform: 'linux' });
    const ours = snap.goCandidates.filter((c) => c.path.startsWith(tmp)).map((c) => [c.path, c.source, c.executable]);
    assert.deepEqual(ours, [
      [altGo, 'alternateTools', true],
      [settingGo, 'gorootSetting', true],
      [envRootGo, 'gorootEnv', true],
      [notExec, 'path', false],
      [pathGo, 'path', true],
      // ~/sdk newest first; ~/sdk/go1.5 is a symlink to pathdir: same realpath, dropped.
      [sdkNew, 'wellKnown', true],
      [sdkOld, 'wellKnown', true],
    ]);
    assert.equal(snap.go?.candidate, 0);
    assert.equal(snap.schema, 1);
    assert.equal(snap.origin, 'headless');

    const goEnvCall = calls.find((c) => c.argv[0] === altGo && c.argv[1] === 'env');
    assert.ok(goEnvCall);
    assert.deepEqual(goEnvCall.argv, [altGo, 'env', '-json']);
    assert.equal(goEnvCall.opts.cwd, folder);
    assert.equal(goEnvCall.opts.timeoutMs, 5000);
    // vscode-go: go.goroot becomes GOROOT, the chosen go's dir goes first on PATH, toolsEnvVars on top.
    assert.equal(goEnvCall.opts.env.GOROOT, path.join(tmp, 'setting-root'));
    assert.equal(goEnvCall.opts.env.PATH, `${path.join(tmp, 'alt/bin')}:${env.PATH}`);
    assert.equal(goEnvCall.opts.env.GOFLAGS, '-mod=mod');
    assert.equal(goEnvCall.opts.env.X, `${path.join(tmp, 'from-env')}/x`);
    assert.equal(goEnvCall.opts.baseEnv, env);
    // `go version` for every executable candidate; the others with GOTOOLCHAIN=local.
    const versionCalls = calls.filter((c) => path.basename(c.argv[0]) === 'go' && c.argv[1] === 'version' && c.argv.length === 2);
    assert.equal(versionCalls.filter((c) => c.argv[0].startsWith(tmp)).length, 6);
    assert.ok(versionCalls.every((c) => (c.argv[0] === altGo ? c.opts.env.GOTOOLCHAIN === undefined : c.opts.env.GOTOOLCHAIN === 'local')));
    assert.ok(!calls.some((c) => c.argv[0] === notExec));
    assert.equal(snap.go?.version?.stdout, 'go version go1.22.12 linux/amd64\n');

    // Allow-listed env only.
    assert.equal(snap.env.SECRET_TOKEN, undefined);
    assert.equal(snap.env.https_proxy, 'http://proxy:3128');
    assert.equal(snap.env.GOROOT, env.GOROOT);
    assert.deepEqual(snap.goEnvFile, { path: goenvFile, text: 'GOFLAGS=-mod=mod\n' });
    assert.equal(snap.host.home, home);
    assert.equal(snap.workspace.folders[0].goMod?.text, 'module x\n\ngo 1.22\n');
  });

  test('tools: GOBIN, GOPATH entries, GOROOT/bin, PATH; one `go version -m`; gopls version -json', async () => {
    const calls: Call[] = [];
    const snap = await gatherSnapshot({ folders: [folder], layers: [], env, exec: fakeExec(goEnv, calls), platform: 'linux', timeoutMs: 4000 });
    const goplsLookup = snap.tools.find((t) => t.name === 'gopls');
    assert.deepEqual(goplsLookup?.searched, [
      path.join(tmp, 'gobin/gopls'),
      path.join(tmp, 'gp1/bin/gopls'),
      path.join(tmp, 'gp2/bin/gopls'),
    ]);
    assert.equal(goplsLookup?.path, gopls);
    assert.equal(goplsLookup?.foundVia, 'gopath');
    assert.deepEqual(goplsLookup?.version?.argv, [gopls, 'version', '-json']);
    assert.equal(goplsLookup?.version?.timeoutMs, 3000);
    const dlvLookup = snap.tools.find((t) => t.name === 'dlv');
    assert.equal(dlvLookup?.path, dlv);
    assert.equal(dlvLookup?.foundVia, 'path');
    assert.equal(dlvLookup?.searched.at(-1), dlv);
    const versionM = calls.filter((c) => c.argv[1] === 'version' && c.argv[2] === '-m');
    assert.equal(versionM.length, 1);
    // Every copy found, the winners and the ones they shadow (this machine's PATH may hold more).
    assert.ok(!(goplsLookup?.alsoFound ?? []).includes(gopls));
    assert.deepEqual(versionM[0].argv.slice(1), ['version', '-m', gopls, ...(goplsLookup?.alsoFound ?? []), dlv, ...(dlvLookup?.alsoFound ?? [])]);
    assert.equal(snap.toolsBuildInfo?.argv[0], envRootGo, '$GOROOT/bin/go is the go in use here');
  });

  test('go.formatTool and go.lintTool binaries are looked up too', async () => {
    const calls: Call[] = [];
    const layers = [layer('user', '{ "go.formatTool": "gofumpt", "go.lintTool": "staticcheck" }')];
    const snap = await gatherSnapshot({ folders: [folder], layers, env, exec: fakeExec(goEnv, calls), platform: 'linux' });
    assert.deepEqual(snap.tools.map((t) => t.name), ['gopls', 'dlv', 'gofumpt', 'staticcheck']);
    assert.ok(snap.tools.every((t) => t.searched.length > 0));
  });

  test('untrusted: workspace values of restricted settings are listed, not run; user values are used', async () => {
    const calls: Call[] = [];
    const trap = file('proj/.trap/go');
    const layers = [
      layer('user', `{ "go.alternateTools": { "go": "${pathGo}" }, "go.toolsEnvVars": { "GOFLAGS": "-v" } }`),
      layer('workspaceFolder', `{ "go.alternateTools": { "go": "\${workspaceFolder}/.trap/go", "dlv": "/x/dlv" }, "go.toolsEnvVars": { "GOFLAGS": "-toolexec=/x", "CC": "/x/cc" } }`, folder),
    ];
    const snap = await gatherSnapshot({ folders: [folder], layers, env, exec: fakeExec(goEnv, calls), platform: 'linux', trusted: false });
    assert.ok(!calls.some((c) => c.argv[0] === trap), 'the trap was run');
    assert.ok(!calls.some((c) => c.opts.env.CC === '/x/cc'), 'workspace toolsEnvVars were applied');
    assert.equal(snap.goCandidates[0].path, trap);
    assert.equal(snap.goCandidates[0].version, undefined);
    assert.equal(snap.goCandidates[1].path, pathGo);
    assert.equal(snap.go?.candidate, 1);
    assert.equal(calls.find((c) => c.argv[1] === 'env')?.opts.env.GOFLAGS, '-v');
    // The module check (GSD409) runs the same go, offline and with the local toolchain only.
    const check = calls.find((c) => c.argv[1] === 'list');
    assert.deepEqual(check?.argv, [pathGo, 'list', '-mod=readonly', '-m', 'all']);
    assert.equal(check?.opts.cwd, folder);
    assert.equal(check?.opts.env.GOPROXY, 'off');
    assert.equal(check?.opts.env.GOTOOLCHAIN, 'local');
    assert.equal(check?.opts.env.GOFLAGS, '-v');
    assert.ok(snap.workspace.folders[0].moduleCheck);
    assert.deepEqual(
      snap.skippedProbes.map((p) => p.probe),
      ['go.alternateTools.go', 'go.alternateTools.dlv', 'go.toolsEnvVars.GOFLAGS', 'go.toolsEnvVars.CC'],
    );
    assert.match(snap.skippedProbes[0].reason, /^Workspace is not trusted: ignored go\.alternateTools\.go = "\$\{workspaceFolder\}\/\.trap\/go" from the workspace folder settings \(/);
  });

  test('no go at all: tools are still looked up, `go version -m` is skipped with a reason', async () => {
    const calls: Call[] = [];
    const bare = { HOME: path.join(tmp, 'empty-home'), PATH: path.join(tmp, 'gp2/bin') };
    const snap = await gatherSnapshot({ folders: [folder], layers: [], env: bare, exec: fakeExec(goEnv, calls), platform: 'linux' });
    assert.equal(snap.go, undefined);
    assert.ok(!snap.goCandidates.some((c) => c.path.startsWith(tmp)));
    assert.equal(snap.tools.find((t) => t.name === 'gopls')?.path, gopls);
    assert.equal(snap.toolsBuildInfo, undefined);
    assert.deepEqual(snap.skippedProbes, [{ probe: 'toolsBuildInfo', reason: 'No go binary to run `go version -m` on the tools.' }]);
  });
});

describe('lookup helpers', () => {
  const c = (p: string, source: GoCandidateInfo['source'], executable = true, runnable = true): GoCandidateInfo => ({ path: p, source, executable, runnable });
  test('chooseGo: first runnable non-well-known; vscode-go defaults only as a last resort', () => {
    assert.equal(chooseGo([c('/a/go', 'alternateTools', false), c('/b/go', 'path')], 'linux'), 1);
    assert.equal(chooseGo([c('/t/go', 'alternateTools', true, false), c('/b/go', 'path')], 'linux'), 1);
    assert.equal(chooseGo([c('/home/u/sdk/go1.22/bin/go', 'wellKnown')], 'linux'), undefined);
    assert.equal(chooseGo([c('/home/u/sdk/go1.22/bin/go', 'wellKnown'), c('/usr/local/go/bin/go', 'wellKnown')], 'linux'), 1);
    assert.equal(chooseGo([c('/usr/local/bin/go', 'wellKnown')], 'linux'), 0);
  });

  test('findTool: a relative alternateTools value is searched by that name', async () => {
    const nightly = file('tools/bin/gopls-nightly');
    const r = await findTool({ name: 'gopls', platform: 'linux', alternate: 'gopls-nightly', pathDirs: [path.join(tmp, 'tools/bin')] });
    assert.equal(r.path, nightly);
    const abs = await findTool({ name: 'gopls', platform: 'linux', alternate: nightly, pathDirs: [] });
    assert.deepEqual([abs.path, abs.foundVia, abs.searched], [nightly, 'alternateTools', [nightly]]);
    const missing = await findTool({ name: 'gopls', platform: 'linux', gobin: '/nope', toolsGopath: '/tg1:/tg2', pathDirs: ['/p'] });
    assert.deepEqual(missing.searched, ['/nope/gopls', '/tg1/bin/gopls', '/tg2/bin/gopls', '/p/gopls']);
    assert.equal(missing.path, undefined);
  });

  test('settings: precedence, merged objects, dotted and nested keys, workspace file settings', () => {
    const s = new Settings([
      layer('workspaceFolder', '{ "go": { "toolsEnvVars": { "A": "folder" } } }'),
      layer('user', '{ "go.toolsEnvVars": { "A": "user", "B": "user" }, "go.goroot": "/u" }'),
      layer('workspaceFile', '{ "folders": [], "settings": { "go.goroot": "/ws" } }'),
    ]);
    assert.equal(s.getString('go.goroot')?.value, '/ws');
    assert.equal(s.getString('go.goroot', (l) => l.scope === 'user')?.value, '/u');
    const merged = s.getObject('go.toolsEnvVars');
    assert.deepEqual([...merged].map(([k, v]) => [k, v.value, v.layer.scope]), [
      ['A', 'folder', 'workspaceFolder'],
      ['B', 'user', 'user'],
    ]);
  });

  test('env helpers', () => {
    assert.equal(substituteEnv('${env:HOME}/go:${env:NOPE}x', { HOME: '/h' }), '/h/go:x');
    assert.deepEqual(allowListEnv({ PATH: '/p', GOFLAGS: '-v', CGO_ENABLED: '0', AWS_SECRET_ACCESS_KEY: 'x', NO_PROXY: 'a', WSL_DISTRO_NAME: 'U' }, 'linux'), {
      CGO_ENABLED: '0',
      GOFLAGS: '-v',
      NO_PROXY: 'a',
      PATH: '/p',
      WSL_DISTRO_NAME: 'U',
    });
    assert.deepEqual(allowListEnv({ Path: 'C:\\Go\\bin' }, 'win32'), { PATH: 'C:\\Go\\bin' });
    assert.equal(defaultGoEnvFile({ HOME: '/h' }, 'linux'), '/h/.config/go/env');
    assert.equal(defaultGoEnvFile({ HOME: '/h', XDG_CONFIG_HOME: '/x' }, 'linux'), '/x/go/env');
    assert.equal(defaultGoEnvFile({ HOME: '/Users/h' }, 'darwin'), '/Users/h/Library/Application Support/go/env');
    assert.equal(defaultGoEnvFile({ AppData: 'C:\\Users\\h\\AppData\\Roaming' }, 'win32'), 'C:\\Users\\h\\AppData\\Roaming\\go\\env');
  });
});
