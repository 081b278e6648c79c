// settingsFiles.ts: the layers VS Code would read, from the files themselves.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { defaultUserSettingsFile, loadWorkspaceSettings, readLayer, workspaceFileFolders } from '../../extension/src/gather/settingsFiles';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'gsd-settingsfiles-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));
function write(rel: string, text: string): string {
  const p = path.join(tmp, rel);
  fs.mkdirSync(path.dirname(p), { recursive: true });
  fs.writeFileSync(p, text);
  return p;
}

describe('defaultUserSettingsFile', () => {
  test('Linux: $XDG_CONFIG_HOME/Code/User, else ~/.config/Code/User', () => {
    assert.equal(defaultUserSettingsFile({ HOME: '/home/g', XDG_CONFIG_HOME: '/xdg' }, 'linux'), '/xdg/Code/User/settings.json');
    assert.equal(defaultUserSettingsFile({ HOME: '/home/g' }, 'linux'), '/home/g/.config/Code/User/settings.json');
    // A relative XDG_CONFIG_HOME is ignored, as the XDG spec says.
    assert.equal(defaultUserSettingsFile({ HOME: '/home/g', XDG_CONFIG_HOME: 'rel' }, 'linux'), '/home/g/.config/Code/User/settings.json');
  });
  test('macOS and Windows', () => {
    assert.equal(defaultUserSettingsFile({ HOME: '/Users/g' }, 'darwin'), '/Users/g/Library/Application Support/Code/User/settings.json');
    assert.equal(
      defaultUserSettingsFile({ APPDATA: 'C:\\Users\\g\\AppData\\Roaming' }, 'win32'),
      'C:\\Users\\g\\AppData\\Roaming\\Code\\User\\settings.json',
    );
    assert.equal(defaultUserSettingsFile({}, 'linux'), undefined);
  });
});

describe('readLayer', () => {
  test('missing file: a layer without text or error', async () => {
    const l = await readLayer(path.join(tmp, 'nope', 'settings.json'), 'user');
    assert.deepEqual(l, { scope: 'user', uri: pathToFileURL(path.join(tmp, 'nope', 'settings.json')).href });
  });
  test('unreadable file: readError', async () => {
    const dir = path.join(tmp, 'is-a-dir.json');
    fs.mkdirSync(dir, { recursive: true });
    const l = await readLayer(dir, 'user');
    assert.match(l.readError ?? '', /^EISDIR: /);
    assert.equal(l.text, undefined);
  });
  test('a BOM is dropped, as VS Code does', async () => {
    const p = write('bom/settings.json', '\ufeff{"a": 1}');
    assert.equal((await readLayer(p, 'user')).text, '{"a": 1}');
  });
});

describe('loadWorkspaceSettings', () => {
  test('a folder: user layer (overridable) and the folder layer', async () => {
    const user = write('user.json', '{ "go.useLanguageServer": true }');
    const folder = path.join(tmp, 'proj');
    write('proj/.vscode/settings.json', '{\n  // c\n  "go.buildOnSave": "off"\n}');
    const w = await loadWorkspaceSettings({ target: folder, userSettingsFile: user, env: {} });
    assert.deepEqual(w.folders, [folder]);
    assert.equal(w.workspaceFile, undefined);
    assert.deepEqual(
      w.layers.map((l) => [l.scope, l.uri, l.folder]),
      [
        ['user', pathToFileURL(user).href, undefined],
        ['workspaceFolder', pathToFileURL(path.join(folder, '.vscode/settings.json')).href, pathToFileURL(folder).href],
      ],
    );
    assert.equal(w.layers[1].text, '{\n  // c\n  "go.buildOnSave": "off"\n}');
  });

  test('the user settings file defaults to the OS location under HOME', async () => {
    const home = path.join(tmp, 'home');
    const user = write('home/.config/Code/User/settings.json', '{}');
    const w = await loadWorkspaceSettings({ target: tmp, env: { HOME: home }, platform: 'linux' });
    assert.equal(w.layers[0].uri, pathToFileURL(user).href);
    assert.equal(w.layers[0].text, '{}');
  });

  test('a .code-workspace: its folders (relative to it) and its own layer', async () => {
    const ws = write('ws/team.code-workspace', '{\n  // shared\n  "folders": [{ "path": "a" }, { "path": "../b" }],\n  "settings": { "go.goroot": "/x" },\n}');
    write('ws/a/.vscode/settings.json', '{}');
    const w = await loadWorkspaceSettings({ target: ws, userSettingsFile: path.join(tmp, 'none.json'), env: {} });
    assert.deepEqual(w.folders, [path.join(tmp, 'ws/a'), path.join(tmp, 'b')]);
    assert.equal(w.workspaceFile, ws);
    assert.deepEqual(
      w.layers.map((l) => [l.scope, l.text !== undefined]),
      [
        ['user', false],
        ['workspaceFile', true],
        ['workspaceFolder', true],
        ['workspaceFolder', false],
      ],
    );
    assert.deepEqual(w.problems, []);
  });

  test('workspaceFileFolders accepts file URIs and ignores the rest', () => {
    assert.deepEqual(workspaceFileFolders('/w/x.code-workspace', '{"folders": [{"uri": "file:///abs/p"}, {"uri": "vscode-vfs://github/x"}, {"name": "n"}]}'), ['/abs/p']);
    assert.deepEqual(workspaceFileFolders('/w/x.code-workspace', 'not json'), []);
  });
});
