// --fix mechanics on real files: UTF-16 offsets, staleness, collisions, several fixes per file.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import type { Fix } from '../../extension/src/engine/generated/Fix';
import type { Report } from '../../extension/src/engine/generated/Report';
import type { Snapshot } from '../../extension/src/engine/generated/Snapshot';
import type { TextEdit } from '../../extension/src/engine/generated/TextEdit';
import { applySafeFixes, applyTextEdits } from '../../extension/src/headless/fix';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'gsd-fix-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** An edit replacing [start, end) (UTF-16 offsets); positions are not used by --fix. */
function edit(start: number, end: number, newText: string): TextEdit {
  const pos = { line: 0, character: 0 };
  return { range: { start: pos, end: pos, startOffset: start, endOffset: end }, newText };
}
function setup(name: string, text: string) {
  const file = path.join(tmp, name);
  fs.writeFileSync(file, text);
  const uri = pathToFileURL(file).href;
  const snapshot = {
    schema: 1, origin: 't', host: { os: 'linux', arch: 'x64' }, env: {}, goCandidates: [], tools: [], skippedProbes: [],
    settings: [{ scope: 'workspaceFolder', uri, text }], workspace: { folders: [] },
  } as Snapshot;
  return { file, uri, snapshot };
}
function report(fixes: { code: string; fix: Fix }[]): Report {
  return {
    schema: 1, engineVersion: 't', checks: [], summary: { errors: 0, warnings: 0, infos: 0, passed: 0, skipped: 0, notApplicable: 0 },
    findings: fixes.map(({ code, fix }) => ({ code, name: 'n', category: 'settings', severity: 'warning', title: 't', message: 'm', evidence: [], related: [], fixes: [fix], doc: '' })),
  };
}
const safe = (uri: string, edits: TextEdit[], title = 'fix'): Fix => ({ title, applicability: 'safe', actions: [{ kind: 'editFile', uri, edits }] });

test('applyTextEdits counts UTF-16 code units and applies from the end', () => {
  const text = '{"é😀": 1, "b": 2}';
  // "😀" is two UTF-16 units: "b" starts at offset 11.
  assert.equal(text.indexOf('"b"'), 11);
  assert.equal(applyTextEdits(text, [edit(1, 6, '"x"'), edit(11, 14, '"c"')]), '{"x": 1, "c": 2}');
});

test('several safe fixes on one file, non-overlapping: all applied in one go; unsafe ones never', async () => {
  const { file, uri, snapshot } = setup('a.json', '{\n  // keep\n  "a": 1,\n  "b": 2,\n  "c": 3\n}\n');
  const text = fs.readFileSync(file, 'utf8');
  const a = text.indexOf('"a": 1,');
  const c = text.indexOf('"c": 3');
  const r = await applySafeFixes(snapshot, report([
    { code: 'X1', fix: safe(uri, [edit(a, a + 7, '"a": 10,')]) },
    { code: 'X2', fix: safe(uri, [edit(c, c + 6, '"c": 30')]) },
    { code: 'X3', fix: { ...safe(uri, [edit(0, 1, 'BROKEN')]), applicability: 'unsafe' } },
  ]));
  assert.deepEqual(r.applied.map((x) => x.code), ['X1', 'X2']);
  assert.equal(r.deferred, 0);
  assert.equal(fs.readFileSync(file, 'utf8'), '{\n  // keep\n  "a": 10,\n  "b": 2,\n  "c": 30\n}\n');
});

test('a fix colliding with an earlier one waits for the next round', async () => {
  const { file, uri, snapshot } = setup('b.json', '{"a": 1, "b": 2}');
  const r = await applySafeFixes(snapshot, report([
    { code: 'X1', fix: safe(uri, [edit(6, 7, '5')]) },
    { code: 'X2', fix: safe(uri, [edit(5, 8, ' 6,')]) },
  ]));
  assert.deepEqual(r.applied.map((x) => x.code), ['X1']);
  assert.equal(r.deferred, 1);
  assert.equal(fs.readFileSync(file, 'utf8'), '{"a": 5, "b": 2}');
});

test('an edit that would break the JSON is refused and the file is left alone', async () => {
  const { file, uri, snapshot } = setup('c.json', '{"a": 1}');
  const r = await applySafeFixes(snapshot, report([{ code: 'X1', fix: safe(uri, [edit(0, 1, '')]) }]));
  assert.equal(r.refused[0]?.reason, 'the edit would leave invalid JSON');
  assert.equal(fs.readFileSync(file, 'utf8'), '{"a": 1}');
});

test('refused: a file the snapshot did not see, or one that changed since', async () => {
  const { file, uri, snapshot } = setup('d.json', '{"a": 1}');
  const other = pathToFileURL(path.join(tmp, 'unknown.json')).href;
  const r1 = await applySafeFixes(snapshot, report([{ code: 'X1', fix: safe(other, [edit(0, 0, '')]) }]));
  assert.equal(r1.refused[0]?.reason, 'the snapshot has no text for this file');
  fs.writeFileSync(file, '{"a": 2}');
  const r2 = await applySafeFixes(snapshot, report([{ code: 'X1', fix: safe(uri, [edit(6, 7, '3')]) }]));
  assert.equal(r2.refused[0]?.reason, 'the file changed since it was diagnosed');
  assert.equal(fs.readFileSync(file, 'utf8'), '{"a": 2}');
});

test('a BOM on disk is kept and does not count as a change', async () => {
  const { file, uri, snapshot } = setup('e.json', '{"a": 1}');
  fs.writeFileSync(file, '\ufeff{"a": 1}');
  const r = await applySafeFixes(snapshot, report([{ code: 'X1', fix: safe(uri, [edit(6, 7, '2')]) }]));
  assert.deepEqual(r.applied.map((x) => x.code), ['X1']);
  assert.equal(fs.readFileSync(file, 'utf8'), '\ufeff{"a": 2}');
});

test('a safe fix on a folder launch.json is applied (its text comes from folder.launchJson)', async () => {
  const dir = path.join(tmp, 'launchws');
  fs.mkdirSync(path.join(dir, '.vscode'), { recursive: true });
  const file = path.join(dir, '.vscode', 'launch.json');
  const text = '{\n  // debug\n  "configurations": [{"type": "go", "apiVersion": 2, "request": "launch"}]\n}\n';
  fs.writeFileSync(file, text);
  const uri = `${pathToFileURL(dir).href}/.vscode/launch.json`;
  const snapshot = {
    schema: 1, origin: 't', host: { os: 'linux', arch: 'x64' }, env: {}, goCandidates: [], tools: [], skippedProbes: [], settings: [],
    workspace: { folders: [{ uri: pathToFileURL(dir).href, path: dir, goFiles: [], nestedModules: [], filesVisited: 0, walkCapped: false, launchJson: { path: file, text } }] },
  } as Snapshot;
  const start = text.indexOf('"apiVersion": 2, ');
  const r = await applySafeFixes(snapshot, report([{ code: 'GSD317', fix: safe(uri, [edit(start, start + '"apiVersion": 2, '.length, '')]) }]));
  assert.deepEqual(r.applied.map((x) => x.code), ['GSD317'], JSON.stringify(r.refused));
  assert.equal(fs.readFileSync(file, 'utf8'), '{\n  // debug\n  "configurations": [{"type": "go", "request": "launch"}]\n}\n');
});
