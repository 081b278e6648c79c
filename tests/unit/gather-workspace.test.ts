import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { findInAncestors, goFileHead, goImportHead, goLaunchPrograms, probeFolder, readFileHead, resolveProgram, scanSyscallJs, walkFolder } from '../../extension/src/gather/probes/workspace';

const tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'gsd-ws-')));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));
function write(rel: string, text = '') {
  const p = path.join(tmp, rel);
  fs.mkdirSync(path.dirname(p), { recursive: true });
  fs.writeFileSync(p, text);
}

test('the walk stops at its cap and says so; at most 50 .go files are listed', async () => {
  for (let i = 0; i < 120; i++) write(`big/pkg${String(i).padStart(3, '0')}.go`, 'package big\n');
  const capped = await walkFolder(path.join(tmp, 'big'), 100);
  assert.equal(capped.walkCapped, true);
  assert.equal(capped.filesVisited, 100);
  assert.equal(capped.goFiles.length, 50);
  assert.equal(capped.goFiles[0], 'pkg000.go');
  const full = await walkFolder(path.join(tmp, 'big'));
  assert.equal(full.walkCapped, false);
  assert.equal(full.filesVisited, 120);
});

test('folder facts: own go.mod/go.work texts, ancestors', async () => {
  write('outer/go.work', 'go 1.22\n\nuse ./mod\n');
  write('outer/mod/go.mod', 'module m\n\ngo 1.22\n');
  write('outer/mod/sub/x.go', 'package sub\n');
  const mod = await probeFolder(path.join(tmp, 'outer/mod'));
  assert.equal(mod.goMod?.text, 'module m\n\ngo 1.22\n');
  assert.equal(mod.ancestorGoWork, path.join(tmp, 'outer/go.work'));
  assert.equal(mod.ancestorGoMod, undefined);
  assert.deepEqual(mod.goFiles, ['sub/x.go']);
  const sub = await probeFolder(path.join(tmp, 'outer/mod/sub'));
  assert.equal(sub.ancestorGoMod, path.join(tmp, 'outer/mod/go.mod'));
  assert.equal(sub.uri, `file://${path.join(tmp, 'outer/mod/sub')}`);
  assert.equal(await findInAncestors(path.join(tmp, 'outer'), 'go.work'), undefined);
});

test('launch configurations: Go launch programs, package clauses, program resolution', () => {
  const text = '{\n  // c\n  "configurations": [\n    {"type": "go", "request": "launch", "program": "${workspaceFolder}/cmd"},\n    {"type": "go", "request": "attach", "program": "x"},\n    {"type": "node", "request": "launch", "program": "y"},\n    {"type": "go", "request": "launch", "program": "${workspaceFolder}/cmd"},\n    null, 3,\n  ],\n}';
  assert.deepEqual(goLaunchPrograms(text, false), ['${workspaceFolder}/cmd']);
  assert.deepEqual(goLaunchPrograms(`{"folders": [], "launch": ${text.replace(/\/\/ c/, '')}}`, true), ['${workspaceFolder}/cmd']);
  for (const bad of ['', 'nope', '[]', '{"configurations": {}}', '['.repeat(100000)]) assert.deepEqual(goLaunchPrograms(bad, false), []);

  assert.equal(resolveProgram('${workspaceFolder}/cmd/app', '/w'), '/w/cmd/app');
  assert.equal(resolveProgram('${workspaceRoot}', '/w'), '/w');
  assert.equal(resolveProgram('main.go', '/w'), '/w/main.go');
  assert.equal(resolveProgram('/abs/x', '/w'), '/abs/x');
  for (const unknown of ['${file}', '${fileDirname}', '${workspaceFolder}/${relativeFileDirname}', '${input:p}', '~/x', '']) {
    assert.equal(resolveProgram(unknown, '/w'), undefined, unknown);
  }

  assert.deepEqual(goFileHead('a.go', '\ufeff// Copyright\n\n//go:build linux && !ignore\n\n/* doc\n package fake */\npackage   main // x\n'), { name: 'a.go', build: 'linux && !ignore', package: 'main' });
  assert.deepEqual(goFileHead('b.go', '/* never closed'), { name: 'b.go' });
  assert.deepEqual(goFileHead('c.go', 'func main() {}'), { name: 'c.go' });
  assert.deepEqual(goFileHead('d.go', 'package ünï_1\n'), { name: 'd.go', package: 'ünï_1' });
});

test('largest top-level directories, the vendor directory and vendor/modules.txt (capped at a line end)', async () => {
  for (let i = 0; i < 3; i++) fs.mkdirSync(path.join(tmp, 'sizes/a', `x${i}/y`), { recursive: true });
  fs.mkdirSync(path.join(tmp, 'sizes/b/z'), { recursive: true });
  write('sizes/vendor/modules.txt', '# example.com/dep v1.0.0\n## explicit\nexample.com/dep\n');
  const f = await probeFolder(path.join(tmp, 'sizes'));
  // a: itself + 3 + 3; b: itself + 1; vendor is not entered, so not counted.
  assert.deepEqual(f.largestDirs, [
    { path: 'a', dirs: 7 },
    { path: 'b', dirs: 2 },
  ]);
  assert.equal(f.vendorDir, true);
  assert.equal(f.vendorModulesTxt?.text, '# example.com/dep v1.0.0\n## explicit\nexample.com/dep\n');
  const head = await readFileHead(path.join(tmp, 'sizes/vendor/modules.txt'), 30);
  assert.equal(head?.text, '# example.com/dep v1.0.0\n');
  const none = await probeFolder(path.join(tmp, 'outer'));
  assert.equal(none.vendorDir, false);
  assert.equal(none.vendorModulesTxt, undefined);
});

test('import scan: heads of files mentioning "syscall/js", cut before the first declaration', async () => {
  write('wasm/go.mod', 'module w\n\ngo 1.22\n');
  write('wasm/main.go', '//go:build js\n\npackage main\n\nimport (\n\t"syscall/js"\n)\n\nfunc main() { _ = js.Global() }\n');
  write('wasm/host.go', 'package main\n\nimport "fmt"\n\nvar _ = fmt.Sprint\n');
  const f = await probeFolder(path.join(tmp, 'wasm'));
  assert.equal(f.goFilesScanned, 2);
  assert.deepEqual(f.syscallJsFiles, [{ path: path.join(tmp, 'wasm/main.go'), text: '//go:build js\n\npackage main\n\nimport (\n\t"syscall/js"\n)\n\n' }]);
  assert.equal(goImportHead('package p\n\nconst x = 1\n'), 'package p\n\n');
  assert.equal(goImportHead('x'.repeat(10000)).length, 4096);
  assert.deepEqual(await scanSyscallJs(path.join(tmp, 'wasm'), ['missing.go']), []);
});

test('a FIFO as vendor/modules.txt or as a .go file is not read (and does not block)', { skip: process.platform === 'win32' }, async () => {
  write('fifo/go.mod', 'module f\n\ngo 1.22\n');
  fs.mkdirSync(path.join(tmp, 'fifo/vendor'), { recursive: true });
  assert.equal(spawnSync('mkfifo', [path.join(tmp, 'fifo/vendor/modules.txt'), path.join(tmp, 'fifo/pipe.go')]).status, 0);
  const f = await probeFolder(path.join(tmp, 'fifo'));
  assert.equal(f.vendorDir, true);
  assert.equal(f.vendorModulesTxt, undefined);
  assert.equal(await readFileHead(path.join(tmp, 'fifo/pipe.go'), 100), undefined);
});
