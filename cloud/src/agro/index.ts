// Agronomy for precision farming (issue 6): pure functions that reproduce published science, each tested
// against the worked examples docs/agronomy.md lists. Imported as `@lumbung/cloud/agro`.

export * from './atmosphere.ts';
export * from './crop.ts';
export * from './degree-days.ts';
export * from './disease.ts';
export * from './et0.ts';
export * from './humidity.ts';
export * from './radiation.ts';
export * from './water-balance.ts';
