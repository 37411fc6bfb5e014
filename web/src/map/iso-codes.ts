/**
 * ISO 3166-1 alpha-2 → numeric codes for the countries drawn by world-atlas (which keys its
 * shapes by numeric code), and US state postal codes → FIPS codes for us-atlas.
 */
export const COUNTRY_NUMERIC: Record<string, string> = {
  AF: '004', AL: '008', AQ: '010', DZ: '012', AO: '024', AZ: '031', AR: '032', AU: '036', AT: '040', BS: '044',
  BD: '050', AM: '051', BE: '056', BT: '064', BO: '068', BA: '070', BW: '072', BR: '076', BZ: '084', SB: '090',
  BN: '096', BG: '100', MM: '104', BI: '108', BY: '112', KH: '116', CM: '120', CA: '124', CF: '140', LK: '144',
  TD: '148', CL: '152', CN: '156', TW: '158', CO: '170', CG: '178', CD: '180', CR: '188', HR: '191', CU: '192',
  CY: '196', CZ: '203', BJ: '204', DK: '208', DO: '214', EC: '218', SV: '222', GQ: '226', ET: '231', ER: '232',
  EE: '233', FK: '238', FJ: '242', FI: '246', FR: '250', TF: '260', DJ: '262', GA: '266', GE: '268', GM: '270',
  PS: '275', DE: '276', GH: '288', GR: '300', GL: '304', GT: '320', GN: '324', GY: '328', HT: '332', HN: '340',
  HU: '348', IS: '352', IN: '356', ID: '360', IR: '364', IQ: '368', IE: '372', IL: '376', IT: '380', CI: '384',
  JM: '388', JP: '392', KZ: '398', JO: '400', KE: '404', KP: '408', KR: '410', KW: '414', KG: '417', LA: '418',
  LB: '422', LS: '426', LV: '428', LR: '430', LY: '434', LT: '440', LU: '442', MG: '450', MW: '454', MY: '458',
  ML: '466', MR: '478', MX: '484', MN: '496', MD: '498', ME: '499', MA: '504', MZ: '508', OM: '512', NA: '516',
  NP: '524', NL: '528', NC: '540', VU: '548', NZ: '554', NI: '558', NE: '562', NG: '566', NO: '578', PK: '586',
  PA: '591', PG: '598', PY: '600', PE: '604', PH: '608', PL: '616', PT: '620', GW: '624', TL: '626', PR: '630',
  QA: '634', RO: '642', RU: '643', RW: '646', SA: '682', SN: '686', RS: '688', SL: '694', VN: '704', SK: '703',
  SI: '705', SO: '706', ZA: '710', ZW: '716', ES: '724', SS: '728', SD: '729', EH: '732', SR: '740', SZ: '748',
  SE: '752', CH: '756', SY: '760', TJ: '762', TH: '764', TG: '768', TT: '780', AE: '784', TN: '788', TR: '792',
  TM: '795', UG: '800', UA: '804', MK: '807', EG: '818', GB: '826', TZ: '834', US: '840', BF: '854', UY: '858',
  UZ: '860', VE: '862', YE: '887', ZM: '894',
};

export const US_STATE_FIPS: Record<string, string> = {
  AL: '01', AK: '02', AZ: '04', AR: '05', CA: '06', CO: '08', CT: '09', DE: '10', DC: '11', FL: '12', GA: '13',
  HI: '15', ID: '16', IL: '17', IN: '18', IA: '19', KS: '20', KY: '21', LA: '22', ME: '23', MD: '24', MA: '25',
  MI: '26', MN: '27', MS: '28', MO: '29', MT: '30', NE: '31', NV: '32', NH: '33', NJ: '34', NM: '35', NY: '36',
  NC: '37', ND: '38', OH: '39', OK: '40', OR: '41', PA: '42', RI: '44', SC: '45', SD: '46', TN: '47', TX: '48',
  UT: '49', VT: '50', VA: '51', WA: '53', WV: '54', WI: '55', WY: '56', PR: '72',
};

/** Sums region counts into per-country (numeric) and per-US-state (FIPS) totals. */
export function aggregateRegions(regions: readonly { region: string; count: number }[]): { countries: Map<string, number>; states: Map<string, number> } {
  const countries = new Map<string, number>();
  const states = new Map<string, number>();
  for (const { region, count } of regions) {
    const [cc, sub] = region.toUpperCase().split('-');
    const numeric = COUNTRY_NUMERIC[cc];
    if (numeric) countries.set(numeric, (countries.get(numeric) ?? 0) + count);
    if (cc === 'US' && sub && US_STATE_FIPS[sub]) states.set(US_STATE_FIPS[sub], (states.get(US_STATE_FIPS[sub]) ?? 0) + count);
  }
  return { countries, states };
}

export const LEVELS = 5;

/** Quantile-free log scale: outage counts span orders of magnitude between regions. */
export function level(count: number, max: number): number {
  if (count <= 0 || max <= 0) return 0;
  // Clamped: LEVELS * log(max) / log(max) can round to just above LEVELS.
  return Math.min(LEVELS, Math.max(1, Math.ceil((LEVELS * Math.log1p(count)) / Math.log1p(max))));
}
