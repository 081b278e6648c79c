// The settings layers, read the way VS Code reads them: raw JSONC text of every settings file, lowest
// precedence first (user < remote < workspace file < workspace folder). This is the only gather
// module that imports 'vscode'; everything else in gather/ runs headless too.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { pathToFileURL } from 'url';
import * as vscode from 'vscode';
import type { ExtensionInfo } from '../engine/generated/ExtensionInfo';
import type { SettingsLayer } from '../engine/generated/SettingsLayer';
import type { VsCode } from '../engine/generated/VsCode';

export interface SettingsSources {
  /** `context.globalStorageUri`: `<User>/globalStorage/<publisher.name>`. */
  globalStorageUri: vscode.Uri;
  /** goSetupDoctor.userSettingsPath, when set. */
  userSettingsPath?: string;
  /** `vscode.workspace.workspaceFile`. */
  workspaceFile?: vscode.Uri;
  /** `vscode.workspace.workspaceFolders`. */
  folders: readonly vscode.WorkspaceFolder[];
  /** `vscode.env.remoteName`. */
  remoteName?: string;
  log?: (line: string) => void;
}

/** The VS Code user directory (`.../User`) derived from the extension's global storage. */
export function userDirFromGlobalStorage(globalStorageUri: vscode.Uri): vscode.Uri {
  // <User>/globalStorage/<id>  ->  <User>
  return vscode.Uri.joinPath(globalStorageUri, '..', '..');
}

export function expandHome(p: string): string {
  if (p === '~') return os.homedir();
  if (p.startsWith('~/') || p.startsWith('~\\')) return path.join(os.homedir(), p.slice(2));
  return p;
}

/** Where the user settings.json is: the override, else `<User>/settings.json`. */
export function userSettingsUri(src: Pick<SettingsSources, 'globalStorageUri' | 'userSettingsPath'>): vscode.Uri {
  if (src.userSettingsPath) return vscode.Uri.file(path.resolve(expandHome(src.userSettingsPath)));
  return vscode.Uri.joinPath(userDirFromGlobalStorage(src.globalStorageUri), 'settings.json');
}

/** `<data>/Machine/settings.json`: the remote (machine) layer of remote servers and code-server. */
export function machineSettingsUri(globalStorageUri: vscode.Uri): vscode.Uri {
  return vscode.Uri.joinPath(userDirFromGlobalStorage(globalStorageUri), '..', 'Machine', 'settings.json');
}

type ReadResult = { text?: string; readError?: string; exists: boolean };

function stripBom(text: string): string {
  // VS Code ignores a BOM; positions the engine computes must count from the first real character.
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

function errorText(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  if (err && typeof err === 'object' && 'message' in err) return String(err.message);
  return String(e);
}

/** Missing file: no text, no error. Unreadable: readError. Non-file URIs go through workspace.fs. */
export async function readSettingsText(uri: vscode.Uri): Promise<ReadResult> {
  if (uri.scheme === 'file') {
    try {
      const text = await fs.promises.readFile(uri.fsPath, 'utf8');
      return { text: stripBom(text), exists: true };
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') return { exists: false };
      return { readError: errorText(e), exists: true };
    }
  }
  try {
    const bytes = await vscode.workspace.fs.readFile(uri);
    return { text: stripBom(new TextDecoder('utf-8').decode(bytes)), exists: true };
  } catch (e) {
    if (e instanceof vscode.FileSystemError && e.code === 'FileNotFound') return { exists: false };
    return { readError: errorText(e), exists: true };
  }
}

/**
 * URIs as the headless gatherer and the engine write them (`pathToFileURL`), not VS Code's
 * `Uri.toString()` (which encodes `c:` as `c%3A`): the gatherer matches folder layers by string.
 */
export function uriText(uri: vscode.Uri): string {
  return uri.scheme === 'file' ? pathToFileURL(uri.fsPath).href : uri.toString();
}

function layer(scope: SettingsLayer['scope'], uri: vscode.Uri, r: ReadResult, folder?: vscode.Uri): SettingsLayer {
  const l: SettingsLayer = { scope, uri: uriText(uri) };
  if (folder) l.folder = uriText(folder);
  if (r.text !== undefined) l.text = r.text;
  if (r.readError !== undefined) l.readError = r.readError;
  return l;
}

/**
 * Every settings layer VS Code would merge for this window, lowest precedence first. Language
 * blocks (`"[go]": {...}`) travel inside the file texts; the engine parses them.
 */
export async function gatherSettingsLayers(src: SettingsSources): Promise<SettingsLayer[]> {
  const log = src.log ?? (() => undefined);
  const layers: SettingsLayer[] = [];

  const userUri = userSettingsUri(src);
  const user = await readSettingsText(userUri);
  if (user.exists || !src.remoteName || src.userSettingsPath) {
    layers.push(layer('user', userUri, user));
  } else {
    // In a remote window the extension host runs on the remote side; the user settings live on the
    // client machine and are not readable from here (set goSetupDoctor.userSettingsPath to a copy).
    log(`user settings not readable from the remote extension host (${userUri.toString()} does not exist)`);
  }

  const machineUri = machineSettingsUri(src.globalStorageUri);
  const machine = await readSettingsText(machineUri);
  if (src.remoteName || machine.exists) layers.push(layer('remote', machineUri, machine));

  const wsf = src.workspaceFile;
  if (wsf && wsf.scheme !== 'untitled') {
    layers.push(layer('workspaceFile', wsf, await readSettingsText(wsf)));
  }

  for (const f of src.folders) {
    const uri = vscode.Uri.joinPath(f.uri, '.vscode', 'settings.json');
    layers.push(layer('workspaceFolder', uri, await readSettingsText(uri), f.uri));
  }
  return layers;
}

/** Extension ids that decide how Go works in VS Code (compared case-insensitively). */
export const GO_EXTENSION_IDS = ['golang.go', 'golang.go-nightly', 'ms-vscode.go'];

/** Our own id, so we never report ourselves as a Go extension. */
const SELF_ID = 'go-setup-doctor.go-setup-doctor';

/** Whether an installed extension speaks for Go: a known id, a `go` debugger, or a Go language client. */
function isGoRelated(ext: vscode.Extension<unknown>): boolean {
  const id = ext.id.toLowerCase();
  if (id === SELF_ID) return false;
  if (GO_EXTENSION_IDS.includes(id)) return true;
  const pj = (ext.packageJSON ?? {}) as {
    activationEvents?: unknown;
    contributes?: { debuggers?: Array<{ type?: unknown }>; languages?: Array<{ id?: unknown }> };
  };
  const debuggers = Array.isArray(pj.contributes?.debuggers) ? pj.contributes!.debuggers : [];
  if (debuggers.some((d) => d && d.type === 'go')) return true;
  const languages = Array.isArray(pj.contributes?.languages) ? pj.contributes!.languages : [];
  if (languages.some((l) => l && (l.id === 'go' || l.id === 'go.mod' || l.id === 'go.work'))) {
    // Built-in grammar-only extensions (vscode.go) contribute the language too; they are harmless.
    return !ext.packageJSON?.isBuiltin && !id.startsWith('vscode.');
  }
  return false;
}

/** The VS Code facts of the Snapshot: version, trust, remote, Go-related extensions. */
export function gatherVsCode(): VsCode {
  const extensions: ExtensionInfo[] = vscode.extensions.all
    .filter(isGoRelated)
    .map((e) => ({
      id: e.id,
      version: String((e.packageJSON as { version?: unknown })?.version ?? ''),
      active: e.isActive,
    }))
    .sort((a, b) => a.id.localeCompare(b.id));
  const v: VsCode = { version: vscode.version, trusted: vscode.workspace.isTrusted, extensions };
  if (vscode.env.remoteName) v.remoteName = vscode.env.remoteName;
  return v;
}
