/**
 * Family names common in England and Wales, with a relative weight (hundredths of a per cent of
 * people), most frequent first.
 *
 * Source, honestly stated: the first 22 names and their weights are the England and Wales 1984–97
 * percentages of the "Comparative Table of 300 Leading Surnames" compiled by Peter Dance from
 * registration indexes (a factual table, reproduced here as weights). No published England-wide
 * surname list with counts could be obtained for this repository, so every name after those is the
 * learner-records project's own ordering of widely listed common British surnames, with weights
 * extrapolated from the 22nd name by a power law (weight ∝ rank^-0.9). It also adds surnames of
 * British South Asian, Chinese, Vietnamese, Polish and West African families, and names with an
 * apostrophe or a space, so the generator exercises normalisation. Treat the weights as plausible,
 * not as statistics. Compiled for this repository (MIT).
 */

/** Family names and their relative weights, most frequent first. */
export const FAMILY_NAMES: ReadonlyArray<readonly [string, number]> = [
  ["Smith", 133], ["Jones", 99], ["Williams", 68], ["Brown", 62], ["Taylor", 59], ["Davies", 51],
  ["Wilson", 44], ["Evans", 43], ["Thomas", 39], ["Roberts", 36], ["Johnson", 32], ["White", 32],
  ["Wright", 31], ["Robinson", 29], ["Thompson", 29], ["Walker", 29], ["Edwards", 29], ["Hall", 29],
  ["Wood", 28], ["Harris", 28], ["Hughes", 28], ["Green", 27], ["Lewis", 26], ["Clarke", 25],
  ["Jackson", 24], ["Turner", 23], ["Hill", 22], ["Clark", 22], ["Cooper", 21], ["Harrison", 20],
  ["Ward", 20], ["Martin", 19], ["Morris", 19], ["Baker", 18], ["King", 18], ["Morgan", 17], ["Moore", 17],
  ["Allen", 17], ["Lee", 16], ["James", 16], ["Patel", 15], ["Scott", 15], ["Phillips", 15], ["Watson", 14],
  ["Davis", 14], ["Parker", 14], ["Bennett", 14], ["Price", 13], ["Griffiths", 13], ["Young", 13],
  ["Cook", 13], ["Carter", 12], ["Mitchell", 12], ["Kelly", 12], ["Richardson", 12], ["Bailey", 12],
  ["Collins", 11], ["Bell", 11], ["Shaw", 11], ["Murphy", 11], ["Miller", 11], ["Cox", 11], ["Richards", 10],
  ["Khan", 10], ["Marshall", 10], ["Anderson", 10], ["Simpson", 10], ["Ellis", 10], ["Adams", 10],
  ["Singh", 10], ["Begum", 9], ["Wilkinson", 9], ["Foster", 9], ["Chapman", 9], ["Powell", 9], ["Webb", 9],
  ["Rogers", 9], ["Gray", 9], ["Mason", 9], ["Ali", 8], ["Hunt", 8], ["Hussain", 8], ["Campbell", 8],
  ["Matthews", 8], ["Owen", 8], ["Palmer", 8], ["Holmes", 8], ["Mills", 8], ["Barnes", 8], ["Knight", 8],
  ["Lloyd", 8], ["Butler", 7], ["Russell", 7], ["Barker", 7], ["Fisher", 7], ["Stevens", 7], ["Jenkins", 7],
  ["Murray", 7], ["Dixon", 7], ["Harvey", 7], ["Graham", 7], ["Pearson", 7], ["Ahmed", 7], ["Fletcher", 7],
  ["Walsh", 7], ["Kaur", 7], ["Gibson", 7], ["Howard", 6], ["Andrews", 6], ["Stewart", 6], ["Elliott", 6],
  ["Reynolds", 6], ["Saunders", 6], ["Payne", 6], ["Fox", 6], ["Ford", 6], ["Pearce", 6], ["Day", 6],
  ["Brooks", 6], ["West", 6], ["Lawrence", 6], ["Cole", 6], ["Atkinson", 6], ["Bradley", 6], ["Spencer", 6],
  ["Gill", 6], ["Dawson", 6], ["Ball", 6], ["Burton", 5], ["O'Brien", 5], ["Watts", 5], ["Rose", 5],
  ["Booth", 5], ["Perry", 5], ["Ryan", 5], ["Grant", 5], ["Wells", 5], ["Armstrong", 5], ["Francis", 5],
  ["Rees", 5], ["Hayes", 5], ["Hart", 5], ["Hudson", 5], ["Newman", 5], ["Barrett", 5], ["Webster", 5],
  ["Hunter", 5], ["Gregory", 5], ["Carr", 5], ["Lowe", 5], ["Page", 5], ["Marsh", 5], ["Riley", 5],
  ["Dunn", 5], ["Woods", 5], ["Parsons", 5], ["Berry", 5], ["Stone", 5], ["Reid", 5], ["Holland", 5],
  ["Hawkins", 5], ["Harding", 4], ["Porter", 4], ["Robertson", 4], ["Newton", 4], ["Oliver", 4], ["Reed", 4],
  ["Kennedy", 4], ["Williamson", 4], ["Bird", 4], ["Gardner", 4], ["Shah", 4], ["Dean", 4], ["Lane", 4],
  ["Cooke", 4], ["Bates", 4], ["Henderson", 4], ["Parry", 4], ["Burgess", 4], ["Bishop", 4], ["Walton", 4],
  ["Burns", 4], ["Nicholson", 4], ["Shepherd", 4], ["Ross", 4], ["Cross", 4], ["Long", 4], ["Freeman", 4],
  ["Warren", 4], ["Nicholls", 4], ["Hamilton", 4], ["Byrne", 4], ["Sutton", 4], ["McDonald", 4],
  ["Yates", 4], ["Hodgson", 4], ["Robson", 4], ["Curtis", 4], ["Hopkins", 4], ["O'Connor", 4], ["Harper", 4],
  ["Coleman", 4], ["Watkins", 4], ["Moss", 4], ["McCarthy", 4], ["Chambers", 4], ["O'Neill", 4],
  ["Griffin", 4], ["Sharp", 4], ["Hardy", 4], ["Wheeler", 4], ["Potter", 4], ["Osborne", 3], ["Johnston", 3],
  ["Gordon", 3], ["Doyle", 3], ["Wallace", 3], ["George", 3], ["Jordan", 3], ["Hutchinson", 3], ["Rowe", 3],
  ["Burke", 3], ["May", 3], ["Pritchard", 3], ["Gilbert", 3], ["Willis", 3], ["Higgins", 3], ["Read", 3],
  ["Miles", 3], ["Stevenson", 3], ["Stephenson", 3], ["Hammond", 3], ["Arnold", 3], ["Buckley", 3],
  ["Walters", 3], ["Hewitt", 3], ["Barber", 3], ["Nelson", 3], ["Slater", 3], ["Austin", 3], ["Sullivan", 3],
  ["Whitehead", 3], ["Mann", 3], ["Frost", 3], ["Lambert", 3], ["Stephens", 3], ["Blake", 3], ["Akhtar", 3],
  ["Lynch", 3], ["Goodwin", 3], ["Barton", 3], ["Woodward", 3], ["Thomson", 3], ["Cunningham", 3],
  ["Quinn", 3], ["Barnett", 3], ["Baxter", 3], ["Bibi", 3], ["Clayton", 3], ["Nash", 3], ["Greenwood", 3],
  ["Jennings", 3], ["Holt", 3], ["Kemp", 3], ["Poole", 3], ["Gallagher", 3], ["Bond", 3], ["Stokes", 3],
  ["Tucker", 3], ["Davidson", 3], ["Fowler", 3], ["Heath", 3], ["Norman", 3], ["Middleton", 3],
  ["Lawson", 3], ["Banks", 3], ["French", 3], ["Stanley", 3], ["Jarvis", 3], ["Gibbs", 3], ["Ferguson", 3],
  ["Hayward", 3], ["Carroll", 3], ["Farrell", 3], ["Rahman", 3], ["Islam", 3], ["Iqbal", 3], ["Mahmood", 3],
  ["Sharma", 3], ["Kumar", 3], ["Mistry", 3], ["Chen", 3], ["Wong", 3], ["Nguyen", 3], ["Nowak", 3],
  ["Kowalski", 3], ["Okafor", 3], ["Mensah", 3], ["Adeyemi", 3], ["D'Souza", 3], ["MacDonald", 3],
  ["McKenzie", 3], ["Da Silva", 3]
]
