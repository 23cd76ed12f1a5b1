/**
 * Builds the duty officer's console into `client/dist/`: the TypeScript bundle and the
 * stylesheet (Leaflet's included) with content-hashed names, the region asset (organisations,
 * country names and boundaries, so the map needs no tile server) and `index.html` naming them.
 *
 * Run by `npm start` before the hub starts (`tsx client/build.ts`), and by the browser tests.
 * Deterministic: the same sources and region give the same files. The region is the hub's:
 * `HUB_REGION` (read through server/config.ts, like the hub) or the built-in one.
 *
 * The directory is updated in place so a running hub never serves a half-built console:
 * hashed files are added first, `index.html` is replaced atomically (rename), and files of
 * earlier builds are removed last.
 */
import { createHash } from 'node:crypto';
import { readdir, readFile, rename, rm, writeFile, mkdir } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';
import { loadConfig } from '../server/config.ts';
import { loadRegion, type Region } from '../server/region/region.ts';
import { buildRegionAsset } from './tools/region-asset.ts';

const clientDir = dirname(fileURLToPath(import.meta.url));

/** Where the hub serves the console from. */
export const consoleDistDir = join(clientDir, 'dist');

/** Options of {@link buildConsole}. */
export interface BuildOptions {
  /** Output directory (default `client/dist`). */
  readonly outDir?: string;
  /** The region to draw (default: the built-in one). */
  readonly region?: Region;
}

/** What a build produced. */
export interface BuildResult {
  readonly outDir: string;
  /** File names written (relative to `outDir`), index.html included. */
  readonly files: readonly string[];
  readonly ms: number;
}

/** `name-HASH.ext`, in esbuild's style, for files the build writes itself. */
function hashedName(name: string, ext: string, content: string): string {
  const hash = createHash('sha256').update(content).digest('hex').slice(0, 8).toUpperCase();
  return `${name}-${hash}${ext}`;
}

function escapeAttribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}

/** Builds the console; throws with esbuild's messages when the sources do not compile. */
export async function buildConsole(options: BuildOptions = {}): Promise<BuildResult> {
  const started = performance.now();
  const outDir = options.outDir ?? consoleDistDir;
  await mkdir(outDir, { recursive: true });
  const result = await esbuild.build({
    entryPoints: {
      console: join(clientDir, 'src/main.ts'),
      styles: join(clientDir, 'src/styles.css'),
    },
    outdir: outDir,
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: ['es2022', 'chrome110', 'firefox110', 'safari16'],
    minify: true,
    sourcemap: 'linked',
    entryNames: '[name]-[hash]',
    assetNames: '[name]-[hash]',
    // Leaflet's stylesheet names its control images; they are bundled as hashed files.
    loader: { '.png': 'file', '.svg': 'file' },
    metafile: true,
    logLevel: 'silent',
    legalComments: 'eof',
  });
  const outputs = Object.keys(result.metafile.outputs).map((p) => relative(outDir, p));
  const js = outputs.find((f) => f.startsWith('console-') && f.endsWith('.js'));
  const css = outputs.find((f) => f.startsWith('styles-') && f.endsWith('.css'));
  if (js === undefined || css === undefined) throw new Error('esbuild wrote no console bundle');

  const regionJson = JSON.stringify(buildRegionAsset(options.region ?? loadRegion()));
  const regionFile = hashedName('region', '.json', regionJson);
  await writeFile(join(outDir, regionFile), regionJson);

  const template = await readFile(join(clientDir, 'index.html'), 'utf8');
  const html = template
    .replace('%STYLES%', escapeAttribute(css))
    .replace('%SCRIPT%', escapeAttribute(js))
    .replace('%REGION%', escapeAttribute(regionFile));
  const temporary = join(outDir, `.index-${process.pid}.html`);
  await writeFile(temporary, html);
  await rename(temporary, join(outDir, 'index.html'));

  const files = [...outputs, regionFile, 'index.html'];
  const keep = new Set(files);
  for (const entry of await readdir(outDir)) {
    if (!keep.has(entry) && !entry.startsWith('.index-')) {
      await rm(join(outDir, entry), { recursive: true, force: true });
    }
  }
  return { outDir, files, ms: Math.round(performance.now() - started) };
}

async function main(): Promise<void> {
  try {
    const config = loadConfig();
    const result = await buildConsole({ region: loadRegion(config.regionFile) });
    process.stdout.write(
      `console built in ${result.ms} ms: ${result.files.length} files in ${relative(process.cwd(), result.outDir) || '.'}\n`,
    );
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    process.stderr.write(
      `ewx: cannot build the console: ${message.split('\n', 1)[0] ?? message}\n`,
    );
    for (const line of message.split('\n').slice(1, 20)) process.stderr.write(`  ${line}\n`);
    process.exitCode = 1;
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await main();
}
