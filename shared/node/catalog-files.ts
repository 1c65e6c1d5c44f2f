// Reads the catalog files EVENT_CATALOG names — files or folders, comma-separated; a folder gives its .yaml and .yml
// files in name order, but for a kustomization.yaml — and compiles them. A mistake stops start-up, naming the file,
// the line, the type and the field.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { catalogFromSources, CatalogError, type Catalog, type CatalogSource } from '../mod.ts';

function readCatalogSources(paths: string): CatalogSource[] {
  const files = paths
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)
    .flatMap((path) => {
      let isDir: boolean;
      try {
        isDir = statSync(path).isDirectory();
      } catch {
        throw new CatalogError([`${path}: no such file or folder (EVENT_CATALOG)`]);
      }
      if (!isDir) return [path];
      return readdirSync(path)
        .filter((f) => /\.ya?ml$/.test(f) && !/^kustomization\.ya?ml$/.test(f))
        .sort()
        .map((f) => join(path, f));
    });
  return files.map((file) => ({ file, text: readFileSync(file, 'utf8') }));
}

/** The catalog in those files, at `version` (0 until published). Throws CatalogError. */
export const loadCatalogFiles = (paths: string, version = 0): Catalog =>
  catalogFromSources(readCatalogSources(paths), version);
