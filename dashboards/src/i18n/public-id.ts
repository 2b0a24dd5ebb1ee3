/**
 * Bahasa Indonesia of the public trace page (what a shopper sees after scanning a pack): its own small
 * catalogue, loaded with that page only. The same keys and {placeholders} are in public-en.ts.
 */
export const publicId = {
  lot: 'Lot {lot}',
  notFoundTitle: 'Produk tidak ditemukan',
  notFound: 'Tidak ada produk dengan kode lot {lot}. Periksa kembali kode QR pada kemasan.',
  status_available: 'Tersedia',
  status_on_hold: 'Lot ini sedang ditahan untuk pemeriksaan. Jangan dikonsumsi dulu.',
  status_recalled: 'Lot ini DITARIK dari peredaran. Jangan dikonsumsi; hubungi penjual.',
  status_expired: 'Produk ini sudah melewati tanggal kedaluwarsa.',
  storyTitle: 'Cerita pengrajin',
  fromVillage: 'dari {village}',
  producedOn: 'Tanggal produksi',
  bestBefore: 'Baik digunakan sebelum',
  storageTitle: 'Kondisi penyimpanan',
  withinLimits: 'Dalam batas',
  outsideLimits: 'Di luar batas',
  since: 'sejak {from}',
  fromTo: '{from} – {to}',
  stat: '{min}–{max}, rata-rata {mean}',
  temperature: 'Suhu: {stat}',
  humidity: 'Kelembapan: {stat}',
  qualityTitle: 'Pemeriksaan mutu',
  result_conformant: 'Lulus pemeriksaan',
  result_non_conformant: 'Tidak lulus pemeriksaan',
  tracedWith: 'Dilacak dengan Lumbung ·',
  digitalLink: 'GS1 Digital Link',
};

export type PublicKey = keyof typeof publicId;
