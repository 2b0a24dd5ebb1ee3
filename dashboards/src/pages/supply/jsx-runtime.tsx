import type * as preact from 'preact/jsx-runtime';

export type { JSX } from 'preact/jsx-runtime';

/**
 * The JSX runtime of every lazily loaded page: each file of this folder starts with `@jsxImportSource .` (of
 * pages/farm/ and pages/csr/: `@jsxImportSource ../supply`), so its JSX calls these functions instead of importing
 * `preact/jsx-runtime`. Why: those pages are lazily loaded chunks, and the entry (which holds Preact) is inlined into index.html, where no chunk can import it
 * (vite.config.ts fails the build if one does). The entry hands its own Preact over with `install()` (kit.tsx)
 * before any of these components renders, so both sides share one Preact: one set of hooks, one context.
 */
type Runtime = Pick<typeof preact, 'jsx' | 'jsxs' | 'Fragment'>;
type Create = (type: unknown, props: unknown, key?: string) => preact.JSX.Element;

let runtime: Runtime | undefined;
export let Fragment: Runtime['Fragment'];

export function setRuntime(r: Runtime): void {
  runtime = r;
  Fragment = r.Fragment;
}

export const jsx = ((type: unknown, props: unknown, key?: string) =>
  (runtime!.jsx as Create)(type, props, key)) as typeof preact.jsx;
export const jsxs = ((type: unknown, props: unknown, key?: string) =>
  (runtime!.jsxs as Create)(type, props, key)) as typeof preact.jsxs;
