/** What the JSX transform imports in development (`vite` dev server): the same functions as jsx-runtime.tsx. */

export type { JSX } from './jsx-runtime.tsx';
export { Fragment, jsx as jsxDEV } from './jsx-runtime.tsx';
