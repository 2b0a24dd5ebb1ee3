/**
 * The JSX runtime of this folder's pages (`@jsxImportSource .`): the supply pages' runtime, which calls the entry's
 * Preact once the entry has installed it (pages/supply/jsx-runtime.tsx says why a lazy chunk needs this). One
 * runtime for every lazily loaded chunk: they all render with the one Preact of the entry.
 */
export type { JSX } from '../supply/jsx-runtime.tsx';
export { Fragment, jsx, jsxs } from '../supply/jsx-runtime.tsx';
