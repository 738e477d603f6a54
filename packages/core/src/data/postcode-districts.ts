/**
 * The outward-code pattern table of the synthetic generator: postcode areas with the district
 * numbers used in each, plus a few central-London sub-districts with a trailing letter. Inward codes
 * are made from a sector digit and two unit letters from the letters Royal Mail uses there, and every
 * generated postcode is checked with `Postcode.isValid`.
 *
 * Source: the learner-records project, from the structure of the Royal Mail postcode system (area
 * letters and typical district ranges). The ranges are approximate: a few districts in them may not
 * exist, and real postcodes are not evenly spread; they are shaped like UK postcodes, not taken from
 * the Postcode Address File. Compiled for this repository (MIT).
 */

/** Area → inclusive district-number ranges. */
export const AREA_DISTRICTS: ReadonlyArray<readonly [string, ReadonlyArray<readonly [number, number]>]> = [
  ["AB", [[10, 16], [21, 25]]], ["B", [[1, 50]]], ["BA", [[1, 16]]], ["BB", [[1, 12]]], ["BD", [[1, 24]]],
  ["BH", [[1, 25]]], ["BL", [[0, 9]]], ["BN", [[1, 27]]], ["BR", [[1, 8]]], ["BS", [[1, 16]]], ["CB", [[1, 11]]],
  ["CF", [[3, 3], [5, 5], [10, 11], [14, 15], [23, 24]]], ["CH", [[1, 8]]], ["CM", [[1, 9]]], ["CO", [[1, 7]]],
  ["CR", [[0, 8]]], ["CT", [[1, 21]]], ["CV", [[1, 13]]], ["DE", [[1, 24]]], ["DH", [[1, 9]]], ["DL", [[1, 17]]],
  ["DN", [[1, 22]]], ["DY", [[1, 14]]], ["E", [[1, 18]]], ["EX", [[1, 39]]], ["G", [[1, 53]]], ["GL", [[1, 20]]],
  ["GU", [[1, 35]]], ["HA", [[0, 9]]], ["HD", [[1, 9]]], ["HG", [[1, 5]]], ["HP", [[1, 23]]], ["HU", [[1, 20]]],
  ["IP", [[1, 33]]], ["KT", [[1, 24]]], ["L", [[1, 40]]], ["LE", [[1, 19]]], ["LS", [[1, 29]]], ["M", [[1, 50]]],
  ["ME", [[1, 20]]], ["MK", [[1, 19]]], ["N", [[1, 22]]], ["NE", [[1, 49]]], ["NG", [[1, 25]]], ["NN", [[1, 18]]],
  ["NR", [[1, 35]]], ["NW", [[1, 11]]], ["OL", [[1, 16]]], ["OX", [[1, 29]]], ["PE", [[1, 38]]], ["PL", [[1, 35]]],
  ["PO", [[1, 22]]], ["PR", [[1, 9]]], ["RG", [[1, 45]]], ["S", [[1, 81]]], ["SE", [[1, 28]]], ["SK", [[1, 17]]],
  ["SL", [[0, 9]]], ["SN", [[1, 16]]], ["SO", [[14, 53]]], ["SR", [[1, 8]]], ["SS", [[0, 17]]], ["ST", [[1, 21]]],
  ["SW", [[2, 20]]], ["TN", [[1, 40]]], ["TS", [[1, 29]]], ["TW", [[1, 20]]], ["UB", [[1, 11]]], ["W", [[2, 14]]],
  ["WA", [[1, 16]]], ["WF", [[1, 17]]], ["WN", [[1, 8]]], ["WR", [[1, 15]]], ["WS", [[1, 15]]], ["WV", [[1, 16]]],
  ["YO", [[1, 1], [7, 8], [10, 32], [41, 62]]]
]

/** Central-London outward codes with a sub-district letter. */
export const SUB_DISTRICTS: ReadonlyArray<string> = [
  "EC1A", "EC1V", "EC2A", "EC4M", "WC1E", "WC1N", "WC2H", "W1T", "W1D", "W1F", "SW1A", "SW1P", "SW1V", "E1W"
]

/** The letters Royal Mail uses in the unit part of an inward code (never C, I, K, M, O or V). */
export const UNIT_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"
