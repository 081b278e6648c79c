// The environment: what goes into the Snapshot (allow-listed), and the environment tools run
// with (vscode-go's toolExecutionEnvironment: process env + go.toolsEnvVars).
import * as path from 'path';

const EXACT = new Set([
  'PATH',
  'HOME',
  'SHELL',
  'USER',
  'CC',
  'CXX',
  'TMPDIR',
  'XDG_CONFIG_HOME',
  'HTTP_PROXY',
  'HTTPS_PROXY',
  'NO_PROXY',
  'http_proxy',
  'https_proxy',
  'no_proxy',
  // Go ignores ALL_PROXY, git and curl use it (GSD508).
  'ALL_PROXY',
  'all_proxy',
  'WSL_DISTRO_NAME',
  // Sandboxed VS Code: Flatpak sets FLATPAK_ID, snapd sets SNAP and SNAP_NAME.
  'FLATPAK_ID',
  'SNAP',
  'SNAP_NAME',
  // Version managers' per-tool overrides of their pin files (GSD111); GOENV_VERSION is a GO* name.
  'ASDF_GOLANG_VERSION',
  'MISE_GO_VERSION',
]);

/** Whether an environment variable may be copied into the Snapshot. */
export function allowedEnvVar(name: string): boolean {
  return EXACT.has(name) || name.startsWith('GO') || name.startsWith('CGO_');
}

/** The allow-listed part of an environment, sorted by name. */
export function allowListEnv(env: NodeJS.ProcessEnv, platform: NodeJS.Platform = process.platform): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of Object.keys(env).sort()) {
    const v = env[key];
    if (v === undefined) continue;
    // Windows spells it Path; the engine reads PATH.
    const name = platform === 'win32' && key.toUpperCase() === 'PATH' ? 'PATH' : key;
    if (allowedEnvVar(name)) out[name] = v;
  }
  return out;
}

/** Case-insensitive lookup on Windows, where `Path` and `PATH` are the same variable. */
export function getEnv(env: NodeJS.ProcessEnv, name: string, platform: NodeJS.Platform = process.platform): string | undefined {
  if (platform !== 'win32') return env[name];
  const key = Object.keys(env).find((k) => k.toUpperCase() === name.toUpperCase());
  return key === undefined ? undefined : env[key];
}

/** `${env:VAR}` → the variable's value or '' (vscode-go `substituteEnv`). */
export function substituteEnv(value: string, env: NodeJS.ProcessEnv): string {
  return value.replace(/\$\{env:([^}]+)\}/g, (_, name: string) => env[name.trim()] ?? '');
}

/** Split a PATH-like list; empty entries are dropped. */
export function splitPathList(value: string | undefined, platform: NodeJS.Platform = process.platform): string[] {
  if (!value) return [];
  return value.split(platform === 'win32' ? ';' : ':').filter((s) => s.length > 0);
}

export function joinPathList(entries: string[], platform: NodeJS.Platform = process.platform): string {
  return entries.join(platform === 'win32' ? ';' : ':');
}

/** Where `go env -w` writes when GOENV is not set (Go's os.UserConfigDir()/go/env). */
export function defaultGoEnvFile(env: NodeJS.ProcessEnv, platform: NodeJS.Platform = process.platform): string | undefined {
  const p = platform === 'win32' ? path.win32 : path.posix;
  switch (platform) {
    case 'win32': {
      const appData = getEnv(env, 'AppData', platform);
      return appData ? p.join(appData, 'go', 'env') : undefined;
    }
    case 'darwin': {
      const home = env.HOME;
      return home ? p.join(home, 'Library', 'Application Support', 'go', 'env') : undefined;
    }
    default: {
      const xdg = env.XDG_CONFIG_HOME;
      // Go ignores a relative XDG_CONFIG_HOME.
      if (xdg && p.isAbsolute(xdg)) return p.join(xdg, 'go', 'env');
      const home = env.HOME;
      return home ? p.join(home, '.config', 'go', 'env') : undefined;
    }
  }
}

/** The home directory of the environment being diagnosed (not necessarily this process's). */
export function homeOf(env: NodeJS.ProcessEnv, platform: NodeJS.Platform = process.platform): string | undefined {
  const h = platform === 'win32' ? getEnv(env, 'USERPROFILE', platform) ?? env.HOME : env.HOME;
  return h && h.length > 0 ? h : undefined;
}
