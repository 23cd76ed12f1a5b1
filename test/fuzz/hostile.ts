/**
 * What the fuzz campaign's mutations are made of: strings that have broken parsers before, and
 * sizes that are usually moderate with a tail of large ones.
 */
import fc from 'fast-check';

/** Strings that have broken parsers before: XXE, entities, encodings, numbers, paths, names. */
export const hostile: readonly string[] = [
  '<!DOCTYPE alert [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>',
  '<!DOCTYPE a [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>',
  '&xxe;',
  '&#0;',
  '&#x110000;',
  '&#xD800;',
  '\u0000',
  '\uFFFE',
  '\uD800',
  '\u202E',
  ']]>',
  '<![CDATA[',
  '<?xml version="1.0" encoding="UTF-16"?>',
  '<?xml version="1.0" encoding="EBCDIC-US"?>',
  '<?xml-stylesheet href="http://127.0.0.1/x"?>',
  '<!-- -->',
  '<__proto__>',
  '<constructor/>',
  ' xmlns="urn:oasis:names:tc:emergency:cap:1.1"',
  ' xmlns:ds="http://www.w3.org/2000/09/xmldsig#"',
  '1e309',
  '-0',
  'NaN',
  '-90.000001,180.0000001',
  '0,0 0,0 0,0 0,0',
  '91,181 -91,-181 91,181 91,181',
  '1,1 1,1',
  '42.0,76.0 0',
  '2026-02-30T25:61:61+14:01',
  '9999-12-31T23:59:59-00:00',
  '../../../../etc/passwd',
  '%00',
  "' OR '1'='1",
  '{"$gt": ""}',
  '__proto__',
  'constructor',
  'prototype',
  '\r\n\r\n',
  '𝕏'.repeat(64),
  'A'.repeat(70_000),
];

export const fraction = fc.double({ min: 0, max: 1, noNaN: true });

/**
 * A count that is usually moderate (`min`..`usual`) and one time in twenty large (to `max`):
 * documents of megabytes within the hub's limits are parsed in full, so they are in the
 * campaign, as a tail (the summary times bodies over 256 KB apart).
 */
export function sized(min: number, usual: number, max: number): fc.Arbitrary<number> {
  return fc.oneof(
    { weight: 19, arbitrary: fc.integer({ min, max: usual }) },
    { weight: 1, arbitrary: fc.integer({ min: usual, max }) },
  );
}
