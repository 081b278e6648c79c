// File-system helpers for finding binaries the way vscode-go does: executable checks, PATH
// search, path settings expansion. Nothing here executes anything.
import * as fs from 'fs';
import * as path from 'path';

export interface FsInfo {
  exists: boolean;
  executable: boolean;
  realPath?: string;
}

/** `stat().isFile()` + `access(X_OK)`, as vscode-go's `executableFileExists`; plus realpath. */
export async function inspectFile(p: string): Promise<FsInfo> {
  let isFile = false;
  try {
    isFile = (await fs.promises.stat(p)).isFile();
  } catch {
    return { exists: false, executable: false };
  }
  let executable = false;
  if (isFile) {
    try {
      await fs.promises.access(p, fs.constants.X_OK);
      executable = true;
    } catch {
      executable = false;
    }
  }
  let realPath: string | undefined;
  try {
    realPath = await fs.promises.realpath(p);
  } catch {
    realPath = undefined;
  }
  return { exists: true, executable, realPath };
}

export function exeName(name: string, platform: NodeJS.Platform = process.platform): string {
  return platform === 'win32' && !name.toLowerCase().endsWith('.exe') ? `${name}.exe` : name;
}

export function pathApi(platform: NodeJS.Platform): path.PlatformPath {
  return platform === 'win32' ? path.win32 : path.posix;
}

/** `~` and `${env:VAR}` / `${workspaceFolder}` expansion of a path setting (vscode-go resolvePath). */
export function resolveSettingPath(
  value: string,
  env: NodeJS.ProcessEnv,
  home: string | undefined,
  workspaceFolder: string | undefined,
): string {
  let v = value.replace(/\$\{env:([^}]+)\}/g, (_, n: string) => env[n.trim()] ?? '');
  if (workspaceFolder !== undefined) v = v.replace(/\$\{workspace(Folder|Root)\}/g, workspaceFolder);
  if (home !== undefined && (v === '~' || v.startsWith('~/') || v.startsWith('~\\'))) v = home + v.slice(1);
  return v;
}

/** Search `name` along PATH; first existing executable file wins. */
export async function searchPath(name: string, pathDirs: string[], platform: NodeJS.Platform): Promise<{ found?: string; searched: string[] }> {
  const p = pathApi(platform);
  const searched: string[] = [];
  for (const dir of pathDirs) {
    const candidate = p.join(dir, exeName(name, platform));
    searched.push(candidate);
    if ((await inspectFile(candidate)).executable) return { found: candidate, searched };
  }
  return { searched };
}
