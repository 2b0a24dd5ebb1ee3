import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { defineConfig, type Plugin } from 'vite';

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Puts the entry's JavaScript and stylesheet into index.html. On Chrome's "Slow 4G" profile every request
 * costs a 562.5 ms round trip, and the script could only be requested once the HTML had arrived: inlined, the
 * overview shows one round trip sooner (docs/decisions/0007-dashboard-stack.md). Repeat visits lose nothing: the
 * cloud revalidates index.html by ETag (a 304 without a body while the build is unchanged), the same round
 * trip as before. The chart page's chunk (uPlot) and its CSS stay files of their own, cached for good.
 *
 * The entry imports other chunks relative to its own URL (`./chart-….js` in `assets/`); inlined into the
 * page at `/`, those paths must name `./assets/…` instead.
 */
function inlineEntry(): Plugin {
  return {
    name: 'lumbung-inline-entry',
    apply: 'build',
    enforce: 'post',
    // After every other plugin finished its changes (Vite fills in the chart chunk's preload list in
    // generateBundle): rewrite the files written to dist/.
    writeBundle(options, bundle) {
      const out = options.dir!;
      const htmlFile = path.join(out, 'index.html');
      let source = readFileSync(htmlFile, 'utf8');
      for (const [file, item] of Object.entries(bundle)) {
        if (item.type === 'asset' && file.endsWith('.css')) {
          const link = new RegExp(`<link rel="stylesheet"[^>]*href="[^"]*${escapeRegExp(file)}"[^>]*>`);
          if (!link.test(source)) continue;
          source = source.replace(link, () => `<style>${String(item.source).trim()}</style>`);
          rmSync(path.join(out, file));
        }
      }
      for (const [file, item] of Object.entries(bundle)) {
        if (item.type !== 'chunk' || !item.isEntry) continue;
        const tag = new RegExp(`<script type="module"[^>]*src="[^"]*${escapeRegExp(file)}"></script>`);
        if (!tag.test(source)) continue;
        // A chunk importing the entry would fetch it by URL and run a second copy of the app.
        for (const [other, o] of Object.entries(bundle))
          if (o.type === 'chunk' && (o.imports.includes(file) || o.dynamicImports.includes(file)))
            throw new Error(`${other} imports the entry ${file}: the entry cannot be inlined into index.html`);
        const dir = file.slice(0, file.lastIndexOf('/') + 1);
        let code = readFileSync(path.join(out, file), 'utf8');
        for (const other of Object.keys(bundle)) {
          if (other === file || !other.startsWith(dir)) continue;
          const rel = other.slice(dir.length);
          code = code.replace(
            new RegExp(`(["'\`])\\./${escapeRegExp(rel)}\\1`, 'g'),
            (_m, q: string) => `${q}./${other}${q}`,
          );
        }
        code = code.replace(/<\/script/gi, '<\\/script');
        source = source.replace(tag, () => `<script type="module">${code.trim()}</script>`);
        rmSync(path.join(out, file));
      }
      writeFileSync(htmlFile, source);
    },
  };
}

export default defineConfig({
  // Relative asset URLs: the cloud serves dist/ at `/`, and the pages are hash routes of that one index.html.
  base: './',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // Every browser the dashboard targets supports modulepreload; skip the polyfill.
    modulePreload: { polyfill: false },
    reportCompressedSize: true,
  },
  plugins: [inlineEntry()],
  server: {
    port: 5173,
    proxy: { '/api': { target: process.env.LUMBUNG_API_URL ?? 'http://127.0.0.1:8080', changeOrigin: false } },
  },
});
