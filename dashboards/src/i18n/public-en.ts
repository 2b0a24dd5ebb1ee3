import type { PublicKey } from './public-id.ts';

/** English of the public trace page: the same keys and {placeholders} as public-id.ts. */
export const publicEn: Record<PublicKey, string> = {
  lot: 'Lot {lot}',
  notFoundTitle: 'Product not found',
  notFound: 'There is no product with lot code {lot}. Check the QR code on the pack again.',
  status_available: 'Available',
  status_on_hold: 'This lot is on hold for inspection. Do not eat it yet.',
  status_recalled: 'This lot has been RECALLED. Do not eat it; contact the seller.',
  status_expired: 'This product is past its expiry date.',
  storyTitle: "The maker's story",
  fromVillage: 'from {village}',
  producedOn: 'Production date',
  bestBefore: 'Best before',
  storageTitle: 'Storage conditions',
  withinLimits: 'Within limits',
  outsideLimits: 'Outside limits',
  since: 'since {from}',
  fromTo: '{from} – {to}',
  stat: '{min}–{max}, mean {mean}',
  temperature: 'Temperature: {stat}',
  humidity: 'Humidity: {stat}',
  qualityTitle: 'Quality inspection',
  result_conformant: 'Passed inspection',
  result_non_conformant: 'Did not pass inspection',
  tracedWith: 'Traced with Lumbung ·',
  digitalLink: 'GS1 Digital Link',
};
