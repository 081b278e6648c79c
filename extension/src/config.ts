// Typed access to OUR settings (goSetupDoctor.*) only. The Go extension's settings are read as raw
// settings files by gather/settings.ts, never through this module.
import * as vscode from 'vscode';

export const SECTION = 'goSetupDoctor';

/** Defaults, mirrored in package.json `contributes.configuration`. */
export const DEFAULTS = {
  autoRun: true,
  probeTimeoutMs: 5_000,
  userSettingsPath: '',
} as const;

const MIN_TIMEOUT_MS = 500;
const MAX_TIMEOUT_MS = 120_000;

export class Config {
  /** A getter, not a cached object: settings can change between runs. */
  private get cfg(): vscode.WorkspaceConfiguration {
    return vscode.workspace.getConfiguration(SECTION);
  }

  /** Run the diagnosis automatically (after activation and when relevant settings or files change). */
  get autoRun(): boolean {
    const v = this.cfg.get<unknown>('autoRun', DEFAULTS.autoRun);
    return typeof v === 'boolean' ? v : DEFAULTS.autoRun;
  }

  /** Timeout of each external command the probes run, clamped to a sane range. */
  get probeTimeoutMs(): number {
    const v = this.cfg.get<unknown>('probeTimeoutMs', DEFAULTS.probeTimeoutMs);
    if (typeof v !== 'number' || !Number.isFinite(v)) return DEFAULTS.probeTimeoutMs;
    return Math.min(MAX_TIMEOUT_MS, Math.max(MIN_TIMEOUT_MS, Math.round(v)));
  }

  /**
   * Path of the user settings.json when it is not where globalStorageUri says it is (portable
   * installs, custom --user-data-dir). `~` is expanded by the caller. Undefined when unset.
   */
  get userSettingsPath(): string | undefined {
    // Only the user/machine value counts: a workspace must not redirect which file we read.
    const inspected = this.cfg.inspect<unknown>('userSettingsPath');
    const v = inspected?.globalValue;
    return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
  }

  /** Whether a configuration change concerns one of our settings. */
  static affects(e: vscode.ConfigurationChangeEvent, key?: keyof typeof DEFAULTS): boolean {
    return e.affectsConfiguration(key ? `${SECTION}.${key}` : SECTION);
  }
}
