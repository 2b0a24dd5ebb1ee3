import { expect } from 'vitest';

/**
 * Worked examples print rounded numbers: `actual` must round to `printed`, given as the text the source prints
 * ('3.9', '0.0666'), so its precision is the source's. `slack` widens the band where the source itself rounded
 * an input before using it; every use says why.
 */
export function expectPrinted(actual: number, printed: string, slack = 0): void {
  const decimals = printed.includes('.') ? printed.length - printed.indexOf('.') - 1 : 0;
  const half = 0.5 * 10 ** -decimals;
  expect(Math.abs(actual - Number(printed)), `${actual} prints as ${printed}`).toBeLessThanOrEqual(
    half + slack + 1e-12,
  );
}
