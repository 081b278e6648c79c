// Shared inputs of the present* unit tests: real engine Reports on the fixture snapshots, plus a
// "broken" snapshot derived from a fixture (settings files, a folder without go.mod, a proxy with
// credentials) so the Report has edit, shell, display-only and unsafe fixes to show.
import * as fs from 'fs';
import * as path from 'path';
import { runEngine } from '../../extension/src/engine/index';
import type { Report } from '../../extension/src/engine/generated/Report';
import type { Snapshot } from '../../extension/src/engine/generated/Snapshot';

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'snapshots');

export function fixtureNames(): string[] {
  return fs.readdirSync(FIXTURES).filter((f) => f.endsWith('.json')).sort();
}

export function loadFixture(name: string): Snapshot {
  return JSON.parse(fs.readFileSync(path.join(FIXTURES, name), 'utf8')) as Snapshot;
}

export const USER_SETTINGS = 'file:///Users/gopher/Library/Application%20Support/Code/User/settings.json';
export const FOLDER = 'file:///Users/gopher/src/hello';
export const FOLDER_SETTINGS = `${FOLDER}/.vscode/settings.json`;

export const USER_TEXT = `{
  // editor
  "editor.fontSize": 13,
  "go.useLanguageServer": true,
  "sqltools.connections": [{ "name": "prod", "password": "hunter2" }],
  "gopls": { "ui.semanticTokens": true },
}
`;

export const FOLDER_TEXT = `{
  // büild settings (non-ASCII before the key)
  "go.buildOnSave": "package", /* legacy */
  "go.useLanguageServer": false,
  "go.lintTool": "staticcheck",
}
`;

/** Folder settings whose findings all have safe fixes (deprecated and removed settings). */
export const FOLDER_SAFE_TEXT = `{
  // büild settings 🚀 (non-ASCII and a surrogate pair before the keys)
  "go.buildOnSave": "package", /* legacy */
  "go.lintTool": "staticcheck",
  "go.useCodeSnippetsOnFunctionSuggest": true,
}
`;

/** The broken snapshot with folder settings that only need safe fixes. */
export function safeSnapshot(): Snapshot {
  const s = brokenSnapshot();
  s.settings[1].text = FOLDER_SAFE_TEXT;
  return s;
}

/** The macOS fixture, broken in several ways at once. */
export function brokenSnapshot(): Snapshot {
  const s = loadFixture('macos-arm64-native.json');
  s.env = { ...s.env, GOPROXY: 'https://gopher:s3cr3t-tok3n@proxy.corp.example/go,direct', USER: 'gopher' };
  s.settings = [
    { scope: 'user', uri: USER_SETTINGS, text: USER_TEXT },
    { scope: 'workspaceFolder', uri: FOLDER_SETTINGS, folder: FOLDER, text: FOLDER_TEXT },
  ];
  s.workspace = {
    folders: [
      {
        uri: FOLDER,
        path: '/Users/gopher/src/hello',
        goFiles: ['main.go', 'util.go'],
        nestedModules: [],
        filesVisited: 3,
        walkCapped: false,
      },
    ],
  };
  return s;
}

export function report(s: Snapshot): Report {
  return runEngine(s);
}
