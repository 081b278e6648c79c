// Headless settings: the layers VS Code would read for a folder or a `*.code-workspace`, read
// from the files themselves (no 'vscode' import). Inside VS Code, gather/settings.ts builds
// the same layers from the editor's own view.
import * as fs from 'fs';
import * as path from 'path';
import { fileURLToPath, pathToFileURL } from 'url';
import * as jsonc from 'jsonc-parser';
import type { SettingsLayer } from '../engine/generated/SettingsLayer';
import { getEnv } from './env';

/** VS Code's user settings file for this OS (the stable "Code" product). */
export function defaultUserSettingsFile(env: NodeJS.ProcessEnv, platform: NodeJS.Platform = process.platform): string | undefined {
  switch (platform) {
    case 'win32': {
      const appData = getEnv(env, 'APPDATA', platform);
      return appData ? path.win32.join(appData, 'Code', 'User', 'settings.json') : undefined;
    }
    case 'darwin':
      return env.HOME ? path.posix.join(env.HOME, 'Library', 'Application Support', 'Code', 'User', 'settings.json') : undefined;
    default: {
      const xdg = env.XDG_CONFIG_HOME;
      if (xdg && path.posix.isAbsolute(xdg)) return path.posix.join(xdg, 'Code', 'User', 'settings.json');
      return env.HOME ? path.posix.join(env.HOME, '.config', 'Code', 'User', 'settings.json') : undefined;
    }
  }
}

/** Read one settings file into a layer: missing = no text, unreadable = readError. */
export async function readLayer(file: string, scope: SettingsLayer['scope'], folder?: string): Promise<SettingsLayer> {
  const layer: SettingsLayer = { scope, uri: pathToFileURL(file).href };
  if (folder !== undefined) layer.folder = pathToFileURL(folder).href;
  try {
    const text = await fs.promises.readFile(file, 'utf8');
    // VS Code ignores a BOM; engine offsets count from the first real character.
    layer.text = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    // Node's message already starts with the code ("EACCES: permission denied, open '...'").
    const message = err.code && err.message.startsWith(`${err.code}:`) ? err.message : `${err.code ?? 'ERROR'}: ${err.message}`;
    if (err.code !== 'ENOENT' && err.code !== 'ENOTDIR') layer.readError = message;
  }
  return layer;
}

export interface WorkspaceLayout {
  /** Absolute folder paths, in order. */
  folders: string[];
  /** The `*.code-workspace` file, when one was opened. */
  workspaceFile?: string;
  layers: SettingsLayer[];
  /** Problems with the workspace file itself (unreadable, no folders). */
  problems: string[];
}

/** The folders a `*.code-workspace` lists (relative paths resolve against its directory). */
export function workspaceFileFolders(file: string, text: string): string[] {
  let root: unknown;
  try {
    root = jsonc.parse(text, [], { allowTrailingComma: true });
  } catch {
    return []; // nested too deeply for jsonc-parser's recursion: no folders can be read from it
  }
  if (typeof root !== 'object' || root === null) return [];
  const list = (root as { folders?: unknown }).folders;
  if (!Array.isArray(list)) return [];
  const dir = path.dirname(file);
  const out: string[] = [];
  for (const f of list) {
    if (typeof f !== 'object' || f === null) continue;
    const p = (f as { path?: unknown }).path;
    const uri = (f as { uri?: unknown }).uri;
    if (typeof p === 'string') out.push(path.resolve(dir, p));
    else if (typeof uri === 'string' && uri.startsWith('file:')) {
      try {
        out.push(fileURLToPath(uri));
      } catch {
        /* not a file URI */
      }
    }
  }
  return out;
}

/**
 * Build the layers for `target` (a folder or a `*.code-workspace` file): user settings, the
 * workspace file's `settings`, and each folder's `.vscode/settings.json`.
 */
export async function loadWorkspaceSettings(opts: {
  target: string;
  userSettingsFile?: string;
  env?: NodeJS.ProcessEnv;
  platform?: NodeJS.Platform;
}): Promise<WorkspaceLayout> {
  const env = opts.env ?? process.env;
  const target = path.resolve(opts.target);
  const problems: string[] = [];
  const layers: SettingsLayer[] = [];
  const userFile = opts.userSettingsFile ? path.resolve(opts.userSettingsFile) : defaultUserSettingsFile(env, opts.platform);
  if (userFile) layers.push(await readLayer(userFile, 'user'));

  let folders: string[];
  let workspaceFile: string | undefined;
  if (target.endsWith('.code-workspace')) {
    workspaceFile = target;
    const wsLayer = await readLayer(target, 'workspaceFile');
    layers.push(wsLayer);
    folders = wsLayer.text !== undefined ? workspaceFileFolders(target, wsLayer.text) : [];
    if (wsLayer.text === undefined) problems.push(`cannot read ${target}${wsLayer.readError ? `: ${wsLayer.readError}` : ''}`);
    else if (folders.length === 0) problems.push(`${target} lists no folders`);
  } else {
    folders = [target];
  }
  for (const f of folders) layers.push(await readLayer(path.join(f, '.vscode', 'settings.json'), 'workspaceFolder', f));
  return { folders, workspaceFile, layers, problems };
}
