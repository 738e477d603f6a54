/**
 * Given names with how many babies received them: the top-100 girls' and boys' names registered in
 * England in 1997 and in 1998, the two years summed (so a learner aged about 26 in 2024).
 *
 * Source: Office for National Statistics, "Baby names in England and Wales" (girls' and boys' name
 * statistics by year), England tables for 1997 and 1998. Contains public sector information licensed
 * under the Open Government Licence v3.0 (https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/).
 * Only the names in either year's top 100 are kept; a name that left the top 100 in one of the two
 * years carries only the other year's count.
 */

/** Girls' names and their 1997 + 1998 England counts, most frequent first. */
export const FEMALE_GIVEN_NAMES: ReadonlyArray<readonly [string, number]> = [
  ["Chloe", 16032], ["Emily", 12252], ["Sophie", 11056], ["Megan", 11032], ["Jessica", 10860],
  ["Charlotte", 10412], ["Hannah", 9799], ["Lauren", 9635], ["Rebecca", 9529], ["Georgia", 8475],
  ["Amy", 8423], ["Lucy", 8215], ["Bethany", 7873], ["Katie", 7312], ["Emma", 7222], ["Shannon", 5980],
  ["Olivia", 5952], ["Courtney", 5435], ["Eleanor", 5260], ["Laura", 4926], ["Molly", 4731], ["Holly", 4730],
  ["Abigail", 4714], ["Jade", 4702], ["Sarah", 4377], ["Ellie", 4358], ["Alice", 4208], ["Rachel", 3664],
  ["Danielle", 3430], ["Elizabeth", 3405], ["Georgina", 3213], ["Paige", 3160], ["Amber", 3044],
  ["Nicole", 2948], ["Victoria", 2910], ["Zoe", 2895], ["Grace", 2875], ["Chelsea", 2873], ["Natasha", 2862],
  ["Caitlin", 2813], ["Leah", 2777], ["Ella", 2712], ["Anna", 2704], ["Samantha", 2688], ["Alexandra", 2490],
  ["Phoebe", 2329], ["Jasmine", 2294], ["Amelia", 2274], ["Louise", 2252], ["Natalie", 2083],
  ["Melissa", 2048], ["Katherine", 1995], ["Lydia", 1979], ["Abbie", 1970], ["Francesca", 1951],
  ["Kayleigh", 1857], ["Harriet", 1853], ["Gemma", 1836], ["Jodie", 1820], ["Stephanie", 1801],
  ["Jennifer", 1694], ["Daisy", 1638], ["Aimee", 1612], ["Kate", 1552], ["Kirsty", 1552], ["Rosie", 1541],
  ["Hollie", 1535], ["Lily", 1534], ["Ellen", 1476], ["Imogen", 1440], ["Alisha", 1409], ["Ashleigh", 1376],
  ["Millie", 1340], ["Niamh", 1332], ["Mollie", 1326], ["Isobel", 1299], ["Catherine", 1280], ["Sian", 1278],
  ["Mia", 1227], ["Alicia", 1179], ["Yasmin", 1148], ["Tia", 1122], ["Madeleine", 1120], ["Sophia", 1109],
  ["Rachael", 1087], ["Heather", 1083], ["Naomi", 1068], ["Isabelle", 1062], ["Rhiannon", 1059],
  ["Robyn", 1042], ["Chantelle", 1012], ["Hayley", 828], ["Jordan", 735], ["Erin", 626], ["Isabella", 583],
  ["Demi", 559], ["Kathryn", 556], ["Kelly", 552], ["Freya", 544], ["Kelsey", 537], ["Isabel", 526],
  ["Maisie", 519], ["Poppy", 517], ["Morgan", 514], ["Kimberley", 509], ["Beth", 488], ["Charlie", 471],
  ["Nicola", 469], ["Ruby", 461]
]

/** Boys' names and their 1997 + 1998 England counts, most frequent first. */
export const MALE_GIVEN_NAMES: ReadonlyArray<readonly [string, number]> = [
  ["Jack", 18720], ["James", 17925], ["Thomas", 17574], ["Daniel", 15467], ["Joshua", 14137],
  ["Matthew", 13645], ["Samuel", 11745], ["Joseph", 10464], ["Ryan", 9795], ["Jordan", 9651],
  ["Callum", 9426], ["Luke", 9394], ["Connor", 9254], ["Harry", 9092], ["William", 8892], ["George", 8862],
  ["Benjamin", 8821], ["Alexander", 8661], ["Lewis", 7849], ["Adam", 7437], ["Oliver", 7365], ["Liam", 7364],
  ["Jake", 7297], ["Michael", 6661], ["Nathan", 5687], ["Christopher", 5095], ["Kieran", 5058],
  ["Bradley", 4982], ["Ben", 4906], ["Jacob", 4903], ["Mohammed", 4836], ["Aaron", 4661], ["Jamie", 4631],
  ["Cameron", 4542], ["Charlie", 4431], ["Robert", 4116], ["Brandon", 4051], ["Kyle", 3861], ["David", 3823],
  ["Andrew", 3746], ["Charles", 3542], ["Reece", 3443], ["Edward", 3304], ["Alex", 3109], ["Jonathan", 2960],
  ["Sam", 2799], ["Ashley", 2752], ["Dylan", 2635], ["Louis", 2606], ["John", 2600], ["Dominic", 2577],
  ["Max", 2571], ["Joe", 2539], ["Henry", 2428], ["Owen", 2406], ["Scott", 2329], ["Sean", 2311],
  ["Ethan", 2284], ["Nicholas", 2214], ["Tyler", 2208], ["Conor", 2073], ["Ross", 2029], ["Rhys", 1955],
  ["Elliot", 1883], ["Peter", 1832], ["Patrick", 1792], ["Mark", 1782], ["Billy", 1730], ["Stephen", 1654],
  ["Anthony", 1608], ["Lee", 1539], ["Mitchell", 1497], ["Toby", 1492], ["Harrison", 1490], ["Declan", 1469],
  ["Jason", 1463], ["Paul", 1436], ["Joel", 1429], ["Richard", 1425], ["Aidan", 1401], ["Alfie", 1357],
  ["Jay", 1313], ["Mohammad", 1302], ["Steven", 1299], ["Shane", 1230], ["Elliott", 1182], ["Marcus", 1174],
  ["Muhammad", 1148], ["Isaac", 1142], ["Josh", 1132], ["Shaun", 1096], ["Harvey", 1089], ["Kane", 1054],
  ["Christian", 1046], ["Morgan", 722], ["Curtis", 581], ["Tom", 543], ["Timothy", 519], ["Leon", 510],
  ["Craig", 508], ["Rory", 507], ["Danny", 505], ["Calum", 503], ["Ellis", 495], ["Kai", 490],
  ["Zachary", 478]
]
