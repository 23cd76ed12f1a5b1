/**
 * ISO 4217 alphabetic currency codes for economic losses.
 *
 * The list is ISO 4217 List One (current currencies and funds, as published by its maintenance
 * agency SIX) up to the 2025 amendments, kept here as data so that validation does not depend
 * on the ICU build of the runtime (`Intl.supportedValuesOf('currency')` differs between
 * builds and still lists withdrawn codes such as HRK). Codes withdrawn since 2024 (ANG, BGN,
 * CUC, SLL, ZWL) stay accepted: reports about earlier losses still name them. Precious
 * metals (XAU, XAG, XPD, XPT), bond-market units (XBA…XBD), the testing code XTS and XXX
 * ("no currency") are left out: none is a currency a loss is counted in.
 */

/** ISO 4217 alphabetic codes accepted for `impacts.economicLoss.currency`. */
// prettier-ignore
export const iso4217Currencies: readonly string[] = [
  'AED', 'AFN', 'ALL', 'AMD', 'ANG', 'AOA', 'ARS', 'AUD', 'AWG', 'AZN',
  'BAM', 'BBD', 'BDT', 'BGN', 'BHD', 'BIF', 'BMD', 'BND', 'BOB', 'BOV',
  'BRL', 'BSD', 'BTN', 'BWP', 'BYN', 'BZD', 'CAD', 'CDF', 'CHE', 'CHF',
  'CHW', 'CLF', 'CLP', 'CNY', 'COP', 'COU', 'CRC', 'CUC', 'CUP', 'CVE',
  'CZK', 'DJF', 'DKK', 'DOP', 'DZD', 'EGP', 'ERN', 'ETB', 'EUR', 'FJD',
  'FKP', 'GBP', 'GEL', 'GHS', 'GIP', 'GMD', 'GNF', 'GTQ', 'GYD', 'HKD',
  'HNL', 'HTG', 'HUF', 'IDR', 'ILS', 'INR', 'IQD', 'IRR', 'ISK', 'JMD',
  'JOD', 'JPY', 'KES', 'KGS', 'KHR', 'KMF', 'KPW', 'KRW', 'KWD', 'KYD',
  'KZT', 'LAK', 'LBP', 'LKR', 'LRD', 'LSL', 'LYD', 'MAD', 'MDL', 'MGA',
  'MKD', 'MMK', 'MNT', 'MOP', 'MRU', 'MUR', 'MVR', 'MWK', 'MXN', 'MXV',
  'MYR', 'MZN', 'NAD', 'NGN', 'NIO', 'NOK', 'NPR', 'NZD', 'OMR', 'PAB',
  'PEN', 'PGK', 'PHP', 'PKR', 'PLN', 'PYG', 'QAR', 'RON', 'RSD', 'RUB',
  'RWF', 'SAR', 'SBD', 'SCR', 'SDG', 'SEK', 'SGD', 'SHP', 'SLE', 'SLL',
  'SOS', 'SRD', 'SSP', 'STN', 'SVC', 'SYP', 'SZL', 'THB', 'TJS', 'TMT',
  'TND', 'TOP', 'TRY', 'TTD', 'TWD', 'TZS', 'UAH', 'UGX', 'USD', 'USN',
  'UYI', 'UYU', 'UYW', 'UZS', 'VED', 'VES', 'VND', 'VUV', 'WST', 'XAF',
  'XCD', 'XCG', 'XDR', 'XOF', 'XPF', 'XSU', 'XUA', 'YER', 'ZAR', 'ZMW',
  'ZWG', 'ZWL',
];

const known = new Set(iso4217Currencies);

/** True when `code` is an accepted ISO 4217 alphabetic code (upper case, as ISO writes it). */
export function isIso4217Currency(code: string): boolean {
  return known.has(code);
}
