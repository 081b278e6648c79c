// The program lookups (CC, CXX, GOPACKAGESDRIVER): real files, nothing is ever executed.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import type { SettingsLayer } from '../../extension/src/engine/generated/SettingsLayer';
import { Settings } from '../../extension/src/gather/layers';
import { firstWord, lookupProgram, probeLookups } from '../../extension/src/gather/probes/lookups';

const tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'gsd-lookups-')));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

function file(rel: string, mode: number): string {
  const p = path.join(tmp, rel);
  fs.mkdirSync(path.dirname(p), { recursive: true });
  // A marker the test checks: had anything run it, the file would be gone.
  fs.writeFileSync(p, `#!/bin/sh\nrm -f "${p}"\n`, { mode });
  fs.chmodSync(p, mode);
  return p;
}
function layer(scope: SettingsLayer['scope'], text: string): SettingsLayer {
  return { scope, uri: pathToFileURL(path.join(tmp, `${scope}.json`)).href, text };
}

describe('program lookups', () => {
  test('firstWord splits CC the way cmd/go does', () => {
    assert.equal(firstWord('gcc'), 'gcc');
    assert.equal(firstWord('  clang -m64 -fno-x'), 'clang');
    assert.equal(firstWord('"/opt/my cc/bin/cc" -O2'), '/opt/my cc/bin/cc');
    assert.equal(firstWord(''), '');
  });

  test('bare name: PATH order, first executable wins; a non-executable one is passed over', async () => {
    file('a/cc1', 0o644);
    const good = file('b/cc1', 0o755);
    const l = await lookupProgram({ var: 'CC', source: 'go env', value: 'cc1 -m64', program: 'cc1', platform: 'linux', pathDirs: [path.join(tmp, 'a'), path.join(tmp, 'b')] });
    assert.deepEqual(l.searched, [path.join(tmp, 'a'), path.join(tmp, 'b')]);
    assert.equal(l.resolved, good);
    assert.equal(l.executable, true);
    const none = await lookupProgram({ var: 'CC', source: 'go env', value: 'nocc', program: 'nocc', platform: 'linux', pathDirs: [path.join(tmp, 'a')] });
    assert.equal(none.resolved, undefined);
    assert.equal(none.exists, false);
  });

  test('path value: stat only; mode named when not executable; relative to the folder', async () => {
    const drv = file('ws/tools/driver.sh', 0o644);
    const l = await lookupProgram({ var: 'GOPACKAGESDRIVER', source: 'env', value: './tools/driver.sh', program: './tools/driver.sh', platform: 'linux', pathDirs: [], cwd: path.join(tmp, 'ws') });
    assert.equal(l.resolved, drv);
    assert.equal(l.exists, true);
    assert.equal(l.executable, false);
    assert.equal(l.problem, 'a file without execute permission (mode 0644)');
    assert.ok(fs.existsSync(drv), 'never executed');
  });

  test('GOPACKAGESDRIVER: gopls build.env wins over go.toolsEnvVars and the environment; ${workspaceFolder} expanded', async () => {
    const folder = path.join(tmp, 'ws');
    const settings = new Settings([
      layer('user', '{"go.toolsEnvVars": {"GOPACKAGESDRIVER": "/from/tools-env"}}'),
      layer('workspaceFolder', '{"gopls": {"build.env": {"GOPACKAGESDRIVER": "${workspaceFolder}/tools/driver.sh"}}}'),
    ]);
    const env = { GOPACKAGESDRIVER: '/from/env', PATH: '' };
    const ls = await probeLookups({ platform: 'linux', goEnv: { CC: 'gcc', CXX: 'g++' }, env, runEnv: env, settings, accept: () => true, pathDirs: [], folder });
    assert.deepEqual(ls.map((l) => [l.var, l.source]), [['CC', 'go env'], ['CXX', 'go env'], ['GOPACKAGESDRIVER', 'gopls build.env (workspace folder settings)']]);
    assert.equal(ls[2].program, path.join(folder, 'tools/driver.sh'));
    // Untrusted: workspace layers are not used, the user's toolsEnvVars is.
    const untrusted = await probeLookups({ platform: 'linux', env, runEnv: env, settings, accept: (l) => l.scope === 'user', pathDirs: [], folder });
    assert.deepEqual(untrusted.map((l) => [l.source, l.value]), [['go.toolsEnvVars (user settings)', '/from/tools-env']]);
    const off = await probeLookups({ platform: 'linux', env: { GOPACKAGESDRIVER: 'off' }, runEnv: {}, settings: new Settings([]), accept: () => true, pathDirs: [] });
    assert.deepEqual(off, []);
  });
});
