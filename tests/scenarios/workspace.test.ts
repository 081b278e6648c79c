// GSD401 no-module and the workspace walk, on real folders.
import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { explain, findingsOf, scenarioFactory } from '../helpers/scenario';
import * as tc from '../helpers/toolchains';

const skip = tc.skipScenarios;
const scenario = scenarioFactory();

describe('GSD401 no-module', { skip, concurrency: true }, () => {
  test('a folder with main.go and no go.mod anywhere above it', async () => {
    const s = scenario('gsd401');
    const app = s.folder('src/hello', { 'main.go': 'package main\n\nfunc main() {}\n', 'util/util.go': 'package util\n' });
    const d = await s.diagnose({ target: app, env: s.env([tc.binDir('1.22'), '/usr/bin', '/bin']) });
    const folder = d.snapshot.workspace.folders[0];
    assert.deepEqual(folder.goFiles, ['main.go', 'util/util.go']);
    assert.equal(folder.goMod, undefined);
    assert.equal(folder.ancestorGoMod, undefined);
    const [f] = findingsOf(d.report, 'GSD401');
    assert.ok(f, explain(d));
    assert.equal(f.severity, 'warning');
    assert.ok(f.message.includes('has Go files (main.go, util/util.go) but no go.mod'), f.message);
    const action = f.fixes[0]?.actions[0];
    assert.deepEqual(action, { kind: 'runShell', command: `${tc.go('1.22').bin} mod init example.com/hello`, cwd: app });
  });

  test('healthy: a module; and a folder inside one (ancestor go.mod)', async () => {
    const s = scenario('gsd401-ok');
    const mod = s.module('src/mod');
    const sub = s.folder('src/mod/cmd/tool', { 'main.go': 'package main\n' });
    const env = s.env([tc.binDir('1.22'), '/usr/bin', '/bin']);
    const d = await s.diagnose({ target: mod, env });
    assert.deepEqual(findingsOf(d.report, 'GSD401'), []);
    const inner = await s.diagnose({ target: sub, env });
    assert.equal(inner.snapshot.workspace.folders[0].ancestorGoMod, path.join(mod, 'go.mod'));
    assert.deepEqual(findingsOf(inner.report, 'GSD401'), []);
  });

  test('nested modules, skipped dirs, symlinks not followed', async () => {
    const s = scenario('walk');
    const root = s.folder('repo', {
      'tools/go.mod': 'module tools\n\ngo 1.19\n',
      'tools/t.go': 'package tools\n',
      'vendor/x/x.go': 'package x\n',
      'node_modules/y/y.go': 'package y\n',
      '.git/z.go': 'package z\n',
    });
    s.link('repo/loop', root);
    const d = await s.diagnose({ target: root, env: s.env([tc.binDir('1.22'), '/usr/bin', '/bin']) });
    const folder = d.snapshot.workspace.folders[0];
    assert.deepEqual(folder.nestedModules, ['tools']);
    assert.deepEqual(folder.goFiles, ['tools/t.go']);
    assert.equal(folder.walkCapped, false);
    // A folder holding only a nested module is not "Go files without a go.mod".
    assert.deepEqual(findingsOf(d.report, 'GSD401'), []);
  });
});
