// Reads the settings values the gatherer itself needs (go.alternateTools, go.goroot,
// go.toolsEnvVars, ...) from the raw settings layers, the way VS Code resolves them:
// user < remote < workspace file < workspace folder, objects merged key by key.
// The engine parses the same texts again for its rules; this is only for choosing binaries.
import * as jsonc from 'jsonc-parser';
import type { Scope } from '../engine/generated/Scope';
import type { SettingsLayer } from '../engine/generated/SettingsLayer';

export type { Scope, SettingsLayer };

const SCOPE_RANK: Record<Scope, number> = {
  default: 0,
  user: 1,
  remote: 2,
  workspaceFile: 3,
  workspaceFolder: 4,
};

/** Scopes whose values come from the workspace (untrusted content in Restricted Mode). */
export function isWorkspaceScope(scope: Scope): boolean {
  return scope === 'workspaceFile' || scope === 'workspaceFolder';
}

/** VS Code's own label for a scope in messages. */
export function scopeLabel(scope: Scope): string {
  switch (scope) {
    case 'default':
      return 'default';
    case 'user':
      return 'user';
    case 'remote':
      return 'remote';
    case 'workspaceFile':
      return 'workspace file';
    case 'workspaceFolder':
      return 'workspace folder';
  }
}

/** One layer with its settings parsed to a value tree (dotted top-level keys expanded). */
export interface ParsedLayer {
  layer: SettingsLayer;
  tree: Record<string, unknown>;
}

/** A value with the layer it came from. */
export interface Sourced<T> {
  value: T;
  layer: SettingsLayer;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Parse a settings text (or, for a workspace file, its `settings` object) into a value tree:
 * `{"go.alternateTools": {...}}` and `{"go": {"alternateTools": {...}}}` mean the same thing,
 * as in VS Code's configuration model. Syntax errors are tolerated: what parses is used, as
 * VS Code does.
 */
export function parseSettingsTree(text: string, workspaceFile: boolean): Record<string, unknown> {
  const errors: jsonc.ParseError[] = [];
  let root: unknown;
  try {
    root = jsonc.parse(text, errors, { allowTrailingComma: true, disallowComments: false });
  } catch {
    // jsonc-parser recurses: a file nested thousands of levels deep overflows the stack. The
    // engine reports the file (GSD311); here it simply chooses no binaries.
    root = undefined;
  }
  if (workspaceFile) root = isObject(root) ? root.settings : undefined;
  const tree: Record<string, unknown> = {};
  if (!isObject(root)) return tree;
  for (const [key, value] of Object.entries(root)) {
    // Language blocks like "[go]" are not dotted paths.
    const segments = key.startsWith('[') ? [key] : key.split('.');
    let node = tree;
    for (let i = 0; i < segments.length - 1; i++) {
      const s = segments[i];
      if (!isObject(node[s])) node[s] = {};
      node = node[s] as Record<string, unknown>;
    }
    const last = segments[segments.length - 1];
    if (isObject(value) && isObject(node[last])) {
      node[last] = { ...(node[last] as Record<string, unknown>), ...value };
    } else {
      node[last] = value;
    }
  }
  return tree;
}

function lookup(tree: Record<string, unknown>, key: string): unknown {
  let node: unknown = tree;
  for (const s of key.split('.')) {
    if (!isObject(node)) return undefined;
    node = node[s];
  }
  return node;
}

/**
 * The settings that apply to one folder: every layer except other folders' folder settings,
 * ordered from lowest to highest precedence.
 */
export class Settings {
  readonly layers: ParsedLayer[];

  constructor(layers: SettingsLayer[], folderUri?: string) {
    this.layers = layers
      .filter((l) => l.scope !== 'workspaceFolder' || folderUri === undefined || l.folder === undefined || l.folder === folderUri)
      .filter((l) => typeof l.text === 'string')
      .map((layer) => ({ layer, tree: parseSettingsTree(layer.text as string, layer.scope === 'workspaceFile') }))
      .sort((a, b) => SCOPE_RANK[a.layer.scope] - SCOPE_RANK[b.layer.scope]);
  }

  /** Every layer that sets `key` (a dotted path), highest precedence first. */
  all(key: string): Sourced<unknown>[] {
    const out: Sourced<unknown>[] = [];
    for (let i = this.layers.length - 1; i >= 0; i--) {
      const v = lookup(this.layers[i].tree, key);
      if (v !== undefined) out.push({ value: v, layer: this.layers[i].layer });
    }
    return out;
  }

  /**
   * The effective value of `key`: the highest layer that sets it, skipping layers `accept`
   * rejects (Restricted Mode ignores workspace values of restricted settings).
   */
  get(key: string, accept: (layer: SettingsLayer) => boolean = () => true): Sourced<unknown> | undefined {
    return this.all(key).find((s) => accept(s.layer));
  }

  /** A string setting; empty strings and non-strings count as unset, as vscode-go treats them. */
  getString(key: string, accept?: (layer: SettingsLayer) => boolean): Sourced<string> | undefined {
    const s = this.all(key).find((x) => (accept ? accept(x.layer) : true) && typeof x.value === 'string' && x.value !== '');
    return s as Sourced<string> | undefined;
  }

  /**
   * An object setting merged across layers key by key (VS Code merges objects), with the
   * layer each key comes from. `accept` drops whole layers (e.g. workspace layers when untrusted).
   */
  getObject(key: string, accept: (layer: SettingsLayer) => boolean = () => true): Map<string, Sourced<unknown>> {
    const merged = new Map<string, Sourced<unknown>>();
    for (const s of this.all(key).reverse()) {
      if (!accept(s.layer) || !isObject(s.value)) continue;
      for (const [k, v] of Object.entries(s.value)) merged.set(k, { value: v, layer: s.layer });
    }
    return merged;
  }
}
