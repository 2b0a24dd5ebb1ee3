/**
 * Validates EPCIS 2.0 JSON/JSON-LD against GS1's official JSON Schema (a copy in
 * ../reference/epcis/, see its README) with ajv 8 and URI/date-time format checks on, then checks every
 * `uom` against UN/CEFACT Rec 20 (src/supply/uom.ts), which the schema does not do. Shared by the EPCIS
 * unit tests and the API tests of `GET /api/v1/villages/:villageId/lots/:lotId/epcis`.
 *
 *   const validate = epcisValidator();
 *   const { valid, errors } = validate(doc);
 *   expect(errors).toEqual([]);
 */

import { readFileSync } from 'node:fs';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { isUom } from '../../src/supply/uom.ts';

export const EPCIS_SCHEMA_URL = new URL('../reference/epcis/EPCIS-JSON-Schema.json', import.meta.url);

// ajv-formats is CommonJS with `exports.default`; under NodeNext its default import is the module object.
const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ??
  addFormatsModule) as unknown as (ajv: Ajv) => Ajv;

let compiled: ValidateFunction | undefined;

function schemaValidator(): ValidateFunction {
  if (compiled) return compiled;
  const schema = JSON.parse(readFileSync(EPCIS_SCHEMA_URL, 'utf8')) as object;
  // strict stays on (unknown keywords, types) except strictRequired: GS1's schema lists `required`
  // properties inside anyOf/if branches that define no `properties` of their own ("transformationID",
  // "@context"), which strictRequired rejects although it is valid draft-07.
  const ajv = new Ajv({ allErrors: true, strict: true, strictRequired: false });
  addFormats(ajv);
  compiled = ajv.compile(schema);
  return compiled;
}

function describe(e: ErrorObject): string {
  const params = Object.entries(e.params)
    .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
    .join(', ');
  return `${e.instancePath || '/'} ${e.message ?? e.keyword}${params ? ` (${params})` : ''}`;
}

/** Every `uom` anywhere in the document (quantities, sensor reports, extensions) must be a known code. */
function uomErrors(value: unknown, path: string, out: string[]): void {
  if (Array.isArray(value)) {
    value.forEach((v, i) => {
      uomErrors(v, `${path}/${i}`, out);
    });
    return;
  }
  if (value === null || typeof value !== 'object') return;
  for (const [k, v] of Object.entries(value)) {
    const p = `${path}/${k.replaceAll('~', '~0').replaceAll('/', '~1')}`;
    if (k === 'uom' && !isUom(v)) out.push(`${p} ${JSON.stringify(v)} is not a UN/CEFACT Rec 20 code we know (uom.ts)`);
    else uomErrors(v, p, out);
  }
}

export type EpcisValidate = (doc: unknown) => { valid: boolean; errors: string[] };

/** The schema is compiled once per process (about half a second); each call validates one document. */
export function epcisValidator(): EpcisValidate {
  const validate = schemaValidator();
  return (doc) => {
    const errors: string[] = [];
    if (!validate(doc)) errors.push(...(validate.errors ?? []).map(describe));
    uomErrors(doc, '', errors);
    return { valid: errors.length === 0, errors };
  };
}
