// Acceptance sampling by attributes: ISO 2859-1:1999, single sampling plans for normal inspection.
// Table 1 gives a sample size code letter from the lot size and the inspection level; Table 2-A gives the
// sample size of each letter and, per AQL, the acceptance (Ac) and rejection (Re) numbers, or an arrow to
// the first plan below (larger sample) or above (smaller sample). The same tables are ANSI/ASQ Z1.4 and,
// originally, MIL-STD-105E Table I and Table II-A.

export type InspectionLevel = 'S-1' | 'S-2' | 'S-3' | 'S-4' | 'I' | 'II' | 'III';

export type CodeLetter = 'A' | 'B' | 'C' | 'D' | 'E' | 'F' | 'G' | 'H' | 'J' | 'K' | 'L' | 'M' | 'N' | 'P' | 'Q' | 'R';

export interface SamplingPlan {
  /** The letter Table 1 gives for the lot size and level. */
  codeLetter: CodeLetter;
  /** The letter whose plan is used: differs from `codeLetter` when Table 2-A has an arrow there. */
  planCodeLetter: CodeLetter;
  /** Units to inspect; the whole lot when `wholeLot`. */
  sampleSize: number;
  /** Accept the lot with at most this many nonconforming units in the sample. */
  acceptNumber: number;
  /** Reject the lot with at least this many. */
  rejectNumber: number;
  /** Percent nonconforming. */
  aql: number;
  level: InspectionLevel;
  lotSize: number;
  /** The plan's sample is as large as the lot: inspect every unit (Table 2-A note). */
  wholeLot: boolean;
}

const LETTERS = 'ABCDEFGHJKLMNPQR';
const SAMPLE_SIZES = [2, 3, 5, 8, 13, 20, 32, 50, 80, 125, 200, 315, 500, 800, 1250, 2000];

// Table 1: the last lot size of each range (the last range, 500 001 and over, is open).
const LOT_RANGE_ENDS = [8, 15, 25, 50, 90, 150, 280, 500, 1200, 3200, 10_000, 35_000, 150_000, 500_000];
// Table 1: the code letter of each lot size range, one character per range, per inspection level.
const TABLE_1: Record<InspectionLevel, string> = {
  'S-1': 'AAAABBBBCCCCDDD',
  'S-2': 'AAABBBCCCDDDEEE',
  'S-3': 'AABBCCDDEEFFGGH',
  'S-4': 'AABCCDEEFGGHJJK',
  I: 'AABCCDEFGHJKLMN',
  II: 'ABCDEFGHJKLMNPQ',
  III: 'BCDEFGHJKLMNPQR',
};

// The AQL columns of Table 2-A for percent nonconforming, as the standard prints them (the columns above
// 10 count nonconformities per 100 units only).
const AQL_LABELS = [
  '0.010',
  '0.015',
  '0.025',
  '0.040',
  '0.065',
  '0.10',
  '0.15',
  '0.25',
  '0.40',
  '0.65',
  '1.0',
  '1.5',
  '2.5',
  '4.0',
  '6.5',
  '10',
];

/** The AQLs (percent nonconforming) `samplingPlan` accepts: every such column of Table 2-A. */
export const SUPPORTED_AQLS: readonly number[] = AQL_LABELS.map(Number);

// Table 2-A is diagonal: going one column right (larger AQL) is the same as going one row down (larger
// sample). So a cell depends only on row + column. Counting rows A = 0 … R = 15 and columns 0.010 = 0 …
// 10 = 15, the cell with row + column = 14 is Ac 0 / Re 1 (A at 6.5, E at 1.0, L at 0.065, Q at 0.010);
// the next one down is an up arrow, the next a down arrow, then 1/2, 2/3, 3/4, 5/6, 7/8, 10/11, 14/15,
// 21/22 and up arrows to the bottom; above the 0/1 cell, down arrows. Checked cell by cell against
// published plans in the tests.
const DIAGONAL: readonly (readonly [number, number] | 'up' | 'down')[] = [
  [0, 1],
  'up',
  'down',
  [1, 2],
  [2, 3],
  [3, 4],
  [5, 6],
  [7, 8],
  [10, 11],
  [14, 15],
  [21, 22],
];

function cell(row: number, column: number): readonly [number, number] | 'up' | 'down' {
  const offset = row + column - 14;
  if (offset < 0) return 'down';
  return DIAGONAL[offset] ?? 'up';
}

function aqlColumn(aql: number): number {
  const column = SUPPORTED_AQLS.findIndex((a) => Math.abs(a - aql) < 1e-9);
  if (column < 0) {
    throw new RangeError(
      `AQL ${aql} is not a column of ISO 2859-1 Table 2-A for percent nonconforming; use one of ${AQL_LABELS.join(', ')}`,
    );
  }
  return column;
}

/** ISO 2859-1 Table 1: the sample size code letter of a lot. */
export function codeLetterFor(lotSize: number, level: InspectionLevel = 'II'): CodeLetter {
  const letters = TABLE_1[level];
  if (letters === undefined) throw new RangeError(`unknown inspection level ${level}`);
  if (!Number.isInteger(lotSize) || lotSize < 1)
    throw new RangeError(`lot size must be a whole number >= 1, got ${lotSize}`);
  let range = LOT_RANGE_ENDS.findIndex((end) => lotSize <= end);
  if (range < 0) range = LOT_RANGE_ENDS.length;
  return letters[range] as CodeLetter;
}

/**
 * The single sampling plan for normal inspection of a lot (ISO 2859-1:1999 Table 1 and Table 2-A).
 * `aql` in percent nonconforming, one of `SUPPORTED_AQLS`; `level` defaults to general level II.
 */
export function samplingPlan(lotSize: number, aql: number, opts: { level?: InspectionLevel } = {}): SamplingPlan {
  const level = opts.level ?? 'II';
  const codeLetter = codeLetterFor(lotSize, level);
  const column = aqlColumn(aql);
  const start = LETTERS.indexOf(codeLetter);
  const row = followArrow(start, column);
  const [acceptNumber, rejectNumber] = cell(row, column) as readonly [number, number];
  const planSize = SAMPLE_SIZES[row]!;
  // Table 2-A, note to the arrows: when the sample size equals or exceeds the lot size, inspect 100 %.
  const wholeLot = planSize >= lotSize;
  return {
    codeLetter,
    planCodeLetter: LETTERS[row] as CodeLetter,
    sampleSize: wholeLot ? lotSize : planSize,
    acceptNumber,
    rejectNumber,
    aql: SUPPORTED_AQLS[column]!,
    level,
    lotSize,
    wholeLot,
  };
}

// "Use the first sampling plan below (above) the arrow": walk the column in the arrow's direction to the
// first cell that is a plan. Two corner cells point off the table (letter A at AQL 10 points up, letter R
// at AQL 0.015 points down, in the diagonal pattern above); there we take the nearest plan the other way,
// the only plan the column has on that side.
function followArrow(start: number, column: number): number {
  const first = cell(start, column);
  if (typeof first !== 'string') return start;
  for (const step of first === 'down' ? [1, -1] : [-1, 1]) {
    for (let r = start + step; r >= 0 && r < LETTERS.length; r += step) {
      if (typeof cell(r, column) !== 'string') return r;
    }
  }
  throw new Error(`no plan in column ${column}`); // unreachable: every column has a 0/1 or 1/2 cell
}

/** ISO 2859-1, determination of acceptability (single sampling): accept when the nonconforming units found are at most Ac, reject at Re or more. */
export function judge(
  plan: Pick<SamplingPlan, 'acceptNumber' | 'rejectNumber'>,
  defects: number,
): 'conformant' | 'non_conformant' {
  if (!Number.isInteger(defects) || defects < 0)
    throw new RangeError(`defects must be a whole number >= 0, got ${defects}`);
  return defects <= plan.acceptNumber ? 'conformant' : 'non_conformant';
}
